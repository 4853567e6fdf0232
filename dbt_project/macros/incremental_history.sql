{#
  fct_price_history is built incrementally by series (delete+insert on the series key): a daily run
  touches the series observed that day and rewrites only their rows.

  - Which days are new: fct_price_observations' pre-hook appends every day it rewrites to
    `intermediate.fct_price_history__pending` (a row with full_build = true for a full build), and this
    model's post-hook empties it. A history build that fails leaves the days pending for the next one.
  - Rebuilt series (`intermediate.fct_price_history__recompute`, written by the pre-hook): a series with a
    new observation on or before its last stored observed day, or with a stored run that spans a pending
    day (that day may have lost the series). Their rows are deleted first (a series left with no
    observation at all must vanish) and rebuilt from all their observations.
  - Every other series observed on a pending day extends or closes its open run from the stored row.
  - A missing pending table (a history built before this was incremental) or a full_build row means a
    full rebuild.
#}

{% macro history_state(name) -%}
    {{ return(incremental_state('fct_price_history', name)) }}
{%- endmacro %}


{% macro history_needs_full_build() %}
    {%- if not execute -%}{{ return(false) }}{%- endif -%}
    {%- set pending = history_state('pending') -%}
    {%- if not relation_exists(pending) -%}{{ return(true) }}{%- endif -%}
    {%- set rows = run_query("select count(*) from " ~ pending ~ " where full_build") -%}
    {{ return(rows.columns[0].values()[0] > 0) }}
{% endmacro %}


{% macro history_pending_days() %}
    {%- if not execute -%}{{ return([]) }}{%- endif -%}
    {%- set rows = run_query("select distinct strftime(observed_date, '%Y-%m-%d') from " ~ history_state('pending')
                             ~ " where observed_date is not null order by 1") -%}
    {{ return(rows.columns[0].values() | list) }}
{% endmacro %}


{% macro history_rebuilt_series_sql(days) %}
    {%- set key = price_key_columns() | join(', ') -%}
    with pending_days as (

        select unnest([{{ days }}]) as observed_date

    ),

    new_series as (

        select {{ key }}, min(observed_date) as first_new_date
        from {{ ref('fct_price_observations') }}
        where observed_date in ({{ days }})
        group by {{ key }}

    ),

    stored_series as (

        select {{ key }}, max(last_observed_date) as stored_last_date
        from {{ this }}
        group by {{ key }}

    )

    select {{ key }}
    from new_series
    inner join stored_series using ({{ key }})
    where new_series.first_new_date <= stored_series.stored_last_date

    union

    select {{ key }}
    from {{ this }} as stored
    inner join pending_days
        on pending_days.observed_date between stored.first_observed_date and stored.last_observed_date
{% endmacro %}


{% macro history_rebuilt_series_count() %}
    {%- if not execute -%}{{ return(0) }}{%- endif -%}
    {%- set days = date_literals(history_pending_days()) -%}
    {%- set rows = run_query("select count(*) from (" ~ history_rebuilt_series_sql(days) ~ ")") -%}
    {{ return(rows.columns[0].values()[0]) }}
{% endmacro %}


{% macro prepare_history_build() %}
    {#- pre-hook: a full rebuild clears the table; otherwise record and clear the series to rebuild -#}
    {%- if is_incremental() -%}
        {%- if history_needs_full_build() -%}
            delete from {{ this }};
        {%- else -%}
            {%- set key = price_key_columns() -%}
            create or replace table {{ history_state('recompute') }} as
            {{ history_rebuilt_series_sql(date_literals(history_pending_days())) }};
            delete from {{ this }} as stored
            using {{ history_state('recompute') }} as rebuilt
            where {% for column in key %}stored.{{ column }} = rebuilt.{{ column }}{% if not loop.last %} and {% endif %}{% endfor %};
        {%- endif -%}
    {%- endif -%}
{% endmacro %}


{% macro finish_history_build() %}
    {#- post-hook: the pending days are in the history now -#}
    create table if not exists {{ history_state('pending') }} (observed_date date, full_build boolean);
    delete from {{ history_state('pending') }};
{% endmacro %}


{% macro record_history_pending(days, full_build) %}
    {#- called by fct_price_observations' pre-hook: the days it rewrites, for the next history build -#}
    {%- set pending = history_state('pending') -%}
    {%- if full_build -%}
        create or replace table {{ pending }} as select cast(null as date) as observed_date, true as full_build;
    {%- else -%}
        create table if not exists {{ pending }} (observed_date date, full_build boolean);
        insert into {{ pending }}
        select day, false from (select unnest([{{ date_literals(days) }}]) as day) where day is not null;
    {%- endif -%}
{% endmacro %}
