{#
  validity_stretches(relation, key): the stretches between consecutive validity boundaries, per key.

  Every valid_from and every valid_to (exclusive; NULL = open) of `relation` (a CTE or model name) is a
  boundary of its key; a stretch runs from one boundary to the next (the last one open: valid_to NULL).
  Joining the relation's intervals that cover a stretch's valid_from gives everything in force over it,
  which is how fct_market_prices, mart_source_reconciliation, int_market_prices_blended and
  dim_model_capability_tiers cut overlapping intervals from several sources into comparable pieces.
#}
{% macro validity_stretches(relation, key) %}
{%- set key_list = key | join(', ') -%}
select
    {{ key_list }},
    boundary                                                              as valid_from,
    lead(boundary) over (partition by {{ key_list }} order by boundary)   as valid_to
from (
    select {{ key_list }}, valid_from as boundary from {{ relation }}
    union
    select {{ key_list }}, valid_to from {{ relation }} where valid_to is not null
)
{% endmacro %}
