{#
  adjacent_runs(relation, key, same): `relation`'s rows numbered into runs, per key in valid_from order.

  A run is a sequence of adjacent intervals (each valid_from equal to the previous valid_to) along which
  every column in `same` keeps its value; a change in any of them, or a gap, starts the next run. Grouping
  by (key, run_number) then merges each run into one interval: how fct_market_prices,
  mart_source_reconciliation and dim_model_capability_tiers keep a row per change, not per stretch.
#}
{% macro adjacent_runs(relation, key, same) %}
{%- set key_list = key | join(', ') -%}
select
    *,
    sum(is_new_run) over (partition by {{ key_list }} order by valid_from
                          rows between unbounded preceding and current row) as run_number
from (
    select
        *,
        case
            when {% for column in same %}{{ column }} is distinct from lag({{ column }}) over w
                or {% endfor %}lag(valid_to) over w is distinct from valid_from
                then 1
            else 0
        end as is_new_run
    from {{ relation }}
    window w as (partition by {{ key_list }} order by valid_from)
)
{% endmacro %}
