{#
  fct_price_observations is built incrementally by observed day: a daily run costs that day's rows, not
  every day ever loaded (issue 10). How a build decides what to touch:

  - Days to build: every partition day on which a load wrote price or fetch rows after the previous
    build's watermark, the newest `loaded_at` of those raw tables when it started. A load replaces a
    whole (source, day) slice, so this picks up today, a re-run or replay of an old day, a backfilled
    day, and a day whose prices were all held (its fetch rows are re-written even when no price row
    is). No watermark (a mart built before this was incremental) means every day.
  - Those days are deleted from the mart first (pre-hook), then rebuilt from raw: a day that lost series
    loses them here too, which delete+insert on the day alone would miss for a day left with no rows.
  - Rows of the other days keep the identity (seller_id, canonical_model_id) they were built with, until
    identity changes: the post-hook re-resolves exactly the rows whose name or seller resolves differently
    now than at the previous build (a seed edit, a new alias interval), against snapshots of what was
    applied (`intermediate.fct_price_observations__identity_applied`, `__sellers_applied`).
  - The watermark and the days a build wrote are kept in `intermediate.fct_price_observations__build`
    (one row with full_build = true after a full build); dbt's data tests on the mart check those days only
    (duckdb__get_where_subquery below), the way the GX gate checks the run's day slice.

  `dbt build --full-refresh` rebuilds everything from raw, as before.
#}

{% macro incremental_state(model_name, name, database=none) -%}
    {#- an incremental mart's bookkeeping table, `intermediate.<model>__<name>` -#}
    {{ return(api.Relation.create(database=database or this.database, schema='intermediate',
                                  identifier=model_name ~ '__' ~ name)) }}
{%- endmacro %}


{% macro relation_exists(relation) -%}
    {{ return(adapter.get_relation(relation.database, relation.schema, relation.identifier) is not none) }}
{%- endmacro %}


{% macro observation_state(name) -%}
    {{ return(incremental_state('fct_price_observations', name)) }}
{%- endmacro %}


{% macro observation_build_days() %}
    {#- the partition days loaded after the previous build's watermark, as ISO strings (see the top) -#}
    {%- if not execute -%}{{ return([]) }}{%- endif -%}
    {%- set build = observation_state('build') -%}
    {%- set watermark = "null" -%}
    {%- if relation_exists(build) -%}
        {%- set watermark = "(select max(watermark) from " ~ build ~ ")" -%}
    {%- endif -%}
    {%- set query -%}
        select distinct strftime(partition_date, '%Y-%m-%d') as day
        from {{ source('raw', 'price_facts') }}
        where {{ watermark }} is null or loaded_at > {{ watermark }}
        union
        select distinct strftime(partition_date, '%Y-%m-%d')
        from {{ source('raw', 'fetches') }}
        where {{ watermark }} is null or loaded_at > {{ watermark }}
        order by 1
    {%- endset -%}
    {{ return(run_query(query).columns[0].values() | list) }}
{% endmacro %}


{% macro raw_watermark() -%}
    {#- the newest load the raw tables hold: everything at or before it is in the mart after this build -#}
    (select max(loaded_at) from (
        select max(loaded_at) as loaded_at from {{ source('raw', 'price_facts') }}
        union all
        select max(loaded_at) from {{ source('raw', 'fetches') }}
    ))
{%- endmacro %}


{% macro date_literals(days) -%}
    {%- if days -%}
        {%- for day in days %}date '{{ day }}'{% if not loop.last %}, {% endif %}{% endfor -%}
    {%- else -%}
        null
    {%- endif -%}
{%- endmacro %}


{% macro prepare_observation_build() %}
    {#- pre-hook: record the days this build writes (for its tests and for fct_price_history), and clear
        them from the mart -#}
    {%- set build = observation_state('build') -%}
    {%- if is_incremental() -%}
        {%- set days = observation_build_days() -%}
        delete from {{ this }} where observed_date in ({{ date_literals(days) }});
        create or replace table {{ build }} as
        select false as full_build, cast(day as date) as observed_date, {{ raw_watermark() }} as watermark
        from (select unnest([{{ date_literals(days) }}]) as day)
        where day is not null
        -- a build with no day to write still moves the watermark on
        union all
        select false, null, {{ raw_watermark() }} where {{ days | length }} = 0;
        {{ record_history_pending(days, full_build=false) }}
    {%- else -%}
        create or replace table {{ build }} as
        select true as full_build, cast(null as date) as observed_date, {{ raw_watermark() }} as watermark;
        {{ record_history_pending([], full_build=true) }}
    {%- endif -%}
{% endmacro %}


{% macro refresh_observation_identity() %}
    {#- post-hook: re-resolve the rows whose identity changed since the previous build; then snapshot it -#}
    {%- set identity = ref('int_model_identity') -%}
    {%- set sellers = ref('seller_aliases') -%}
    {%- set applied_identity = observation_state('identity_applied') -%}
    {%- set applied_sellers = observation_state('sellers_applied') -%}
    {%- set resolution = "source_id, provider_id, name, valid_from, valid_to, canonical_model_id" -%}
    {%- if is_incremental() and relation_exists(applied_identity) and relation_exists(applied_sellers) %}
    -- raw provider ids whose seller changed; then the names (source, seller, name) that resolve differently
    create or replace temp table observation_sellers_changed as
    select distinct alias from (
        (select alias, provider_id from {{ applied_sellers }} except select alias, provider_id from {{ sellers }})
        union all
        (select alias, provider_id from {{ sellers }} except select alias, provider_id from {{ applied_sellers }})
    );
    update {{ this }} as o
    set seller_id = coalesce((select s.provider_id from {{ sellers }} as s where s.alias = o.provider_id), o.provider_id)
    where o.provider_id in (select alias from observation_sellers_changed);
    -- a name only in the current identity is new: its rows are all on days this build wrote
    create or replace temp table observation_names_changed as
    select distinct source_id, provider_id, name from (
        select {{ resolution }} from {{ applied_identity }}
        except
        select {{ resolution }} from {{ identity }}
    );
    create or replace temp table observation_rows_to_resolve as
    select o.observation_id
    from {{ this }} as o
    inner join observation_names_changed as c
        on c.source_id = o.source_id and c.provider_id = o.seller_id and c.name = o.model_id
    union
    select observation_id from {{ this }}
    where provider_id in (select alias from observation_sellers_changed);
    update {{ this }} as o
    set canonical_model_id = (
        select i.canonical_model_id
        from {{ identity }} as i
        where i.source_id = o.source_id and i.provider_id = o.seller_id and i.name = o.model_id
            and {{ within_validity('o.observed_date', 'i.valid_from', 'i.valid_to') }}
    )
    where o.observation_id in (select observation_id from observation_rows_to_resolve);
    {%- endif %}
    create or replace table {{ applied_identity }} as select {{ resolution }} from {{ identity }};
    create or replace table {{ applied_sellers }} as select alias, provider_id from {{ sellers }};
{% endmacro %}


{% macro duckdb__get_where_subquery(relation) -%}
    {#- dbt's data tests on fct_price_observations check the days the build wrote (see the top); any other
        relation, and a test's own `where`, as dbt's default does -#}
    {%- set filters = [] -%}
    {%- set where = config.get('where') -%}
    {%- if where -%}{%- do filters.append(where) -%}{%- endif -%}
    {%- if execute and relation.identifier == 'fct_price_observations' -%}
        {%- set build = incremental_state('fct_price_observations', 'build', database=relation.database) -%}
        {%- if relation_exists(build) -%}
            {%- set rows = run_query("select full_build, strftime(observed_date, '%Y-%m-%d') from " ~ build) -%}
            {%- if not (rows.columns[0].values() | select | list) -%}
                {%- do filters.append("observed_date in (" ~ date_literals(rows.columns[1].values() | reject('none') | list) ~ ")") -%}
            {%- endif -%}
        {%- endif -%}
    {%- endif -%}
    {%- if filters -%}
        {%- set filtered -%}
            (select * from {{ relation }} where ({{ filters | join(') and (') }})) dbt_subquery
        {%- endset -%}
        {{ return(filtered) }}
    {%- else -%}
        {{ return(relation) }}
    {%- endif -%}
{%- endmacro %}


{% macro add_contract_columns() %}
    {#- before the model's transaction: give a table built before a contract column existed that column.
        dbt's own on_schema_change would ALTER the table inside the transaction in which the pre-hook has
        already deleted from it, and DuckDB refuses to commit a transaction that changed a table both ways
        ("another transaction has altered this table"). The rows it adds NULLs to are rebuilt by the first
        incremental build, which finds no watermark. -#}
    {%- if is_incremental() -%}
        {%- set existing = adapter.get_columns_in_relation(this) | map(attribute='name') | map('lower') | list -%}
        {%- for name, column in model.columns.items() if name | lower not in existing %}
        alter table {{ this }} add column {{ adapter.quote(name) }} {{ column.data_type }};
        {%- endfor -%}
    {%- endif %}
{% endmacro %}
