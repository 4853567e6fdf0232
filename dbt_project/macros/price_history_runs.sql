{#
  fct_price_history's runs of equal prices, shared by its full build and its incremental one.

  price_history_islands(relation): gaps-and-islands over rows that each stand for one or more observed
  days of a series at one price. An observation is such a row (one day, count 1); so is a run already
  stored (its first to last observed day), which is how the incremental build extends a series' open run
  without reading its old observations again. Columns in: the series key, sort_date, price_per_mtok,
  usd_per_mtok, first_observed_date, last_observed_date, first_observed_at, last_observed_at,
  source_valid_from, source_valid_from_basis, observation_count.

  price_history_bounded(islands, earlier): each island's valid_from and previous_observed_date, reading the
  run before it from the islands, else from `earlier` (per series: the first and last observed day of the
  stored run before the first island; NULL for a series' first run).

  price_history_rows(bounded): the mart's columns, valid_to from the next run's valid_from.
#}

{% macro price_history_islands(relation) %}
    {%- set key = price_key_columns() | join(', ') -%}
    select
        {{ key }},
        run_number,
        price_per_mtok,
        usd_per_mtok,
        min(first_observed_date)     as first_observed_date,
        max(last_observed_date)      as last_observed_date,
        max(source_valid_from)       as source_valid_from,
        -- observations that disagree on the basis take the weaker claim ('first_seen' > 'effective')
        max(source_valid_from_basis) as source_valid_from_basis,
        min(first_observed_at)       as first_observed_at,
        max(last_observed_at)        as last_observed_at,
        sum(observation_count)       as observation_count

    from (
        select
            *,
            sum(is_new_price) over (
                partition by {{ key }} order by sort_date rows between unbounded preceding and current row
            ) as run_number
        from (
            select
                *,
                case
                    when lag(sort_date) over (partition by {{ key }} order by sort_date) is null then 1
                    when price_per_mtok is distinct from
                        lag(price_per_mtok) over (partition by {{ key }} order by sort_date) then 1
                    when usd_per_mtok is distinct from
                        lag(usd_per_mtok) over (partition by {{ key }} order by sort_date) then 1
                    else 0
                end as is_new_price
            from {{ relation }}
        ) change_flags
    ) runs
    group by {{ key }}, run_number, price_per_mtok, usd_per_mtok
{% endmacro %}


{% macro price_history_bounded(islands, earlier=none) %}
    {%- set key_columns = price_key_columns() -%}
    {%- set key = key_columns | join(', ') -%}
    {%- set previous_first -%}
        lag(first_observed_date) over (partition by {{ key }} order by run_number)
    {%- endset -%}
    {%- set previous_last -%}
        lag(last_observed_date) over (partition by {{ key }} order by run_number)
    {%- endset -%}
    {%- if earlier is not none -%}
        {%- set previous_first = "coalesce(" ~ previous_first ~ ", earlier.previous_first_observed_date)" -%}
        {%- set previous_last = "coalesce(" ~ previous_last ~ ", earlier.previous_last_observed_date)" -%}
    {%- endif %}
    select
        islands.*,
        case
            -- the source's own date, unless it reaches back to or before the previous run's first day
            when source_valid_from < first_observed_date
                and ({{ previous_first }} is null or source_valid_from > {{ previous_first }})
                then source_valid_from
            else first_observed_date
        end as valid_from,
        {{ previous_last }} as previous_observed_date

    from {{ islands }} as islands
    {%- if earlier is not none %}
    left join {{ earlier }} as earlier using ({{ key }})
    {%- endif %}
{% endmacro %}


{% macro price_history_rows(bounded) %}
    {%- set key_columns = price_key_columns() -%}
    {%- set key = key_columns | join(', ') -%}
    select
        cast({{ surrogate_key(key_columns + ['valid_from']) }} as {{ dbt.type_string() }}) as price_history_id,
        {{ key }},
        price_per_mtok,
        usd_per_mtok,
        valid_from,
        valid_to,
        valid_to is null                      as is_current,
        case
            when valid_from = source_valid_from and source_valid_from_basis is not null
                then source_valid_from_basis
            else 'first_seen'
        end                                   as valid_from_basis,
        first_observed_date,
        last_observed_date,
        previous_observed_date,
        first_observed_at,
        last_observed_at,
        cast(observation_count as integer)    as observation_count,
        source_valid_from,
        source_valid_from_basis

    from (
        select *, lead(valid_from) over (partition by {{ key }} order by valid_from) as valid_to
        from {{ bounded }}
    ) with_valid_to
{% endmacro %}


{% macro price_history_observations(where='true') %}
    {#- fct_price_observations as one-day islands: the input both builds share -#}
    select
        {{ price_key_columns() | join(', ') }},
        observed_date    as sort_date,
        price_per_mtok,
        usd_per_mtok,
        observed_date    as first_observed_date,
        observed_date    as last_observed_date,
        fetched_at       as first_observed_at,
        fetched_at       as last_observed_at,
        valid_from       as source_valid_from,
        valid_from_basis as source_valid_from_basis,
        1                as observation_count
    from {{ ref('fct_price_observations') }}
    where {{ where }}
{% endmacro %}
