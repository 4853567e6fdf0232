-- "Lose nothing": every source_id in raw.price_facts / raw.model_attributes / raw.capex_facts /
-- raw.capability_scores is read by
-- some staging model (dbt_project.yml vars). A new scraper without a staging model shows up here
-- instead of silently never reaching the marts. Warns rather than fails so one new source does not
-- block the other sources' marts.
-- dagster-dbt only turns tests that hang off a model into asset checks: the depends_on line makes this
-- one a child of int_price_observations_unioned, and meta.dagster.ref attaches the check there.
-- depends_on: {{ ref('int_price_observations_unioned') }}
{{ config(severity='warn', meta={'dagster': {'ref': {'name': 'int_price_observations_unioned'}}}) }}

{%- set staged_prices = [] %}
{%- for ids in var('price_sources').values() %}{% do staged_prices.extend(ids) %}{% endfor %}
{%- set staged_models = [] %}
{%- for ids in var('model_sources').values() %}{% do staged_models.extend(ids) %}{% endfor %}
{%- set staged_capabilities = [] %}
{%- for ids in var('capability_sources').values() %}{% do staged_capabilities.extend(ids) %}{% endfor %}

with raw_sources as (

    select distinct 'price_facts' as raw_table, source_id from {{ source('raw', 'price_facts') }}
    union all
    select distinct 'model_attributes' as raw_table, source_id from {{ source('raw', 'model_attributes') }}
    union all
    select distinct 'capex_facts' as raw_table, source_id from {{ source('raw', 'capex_facts') }}
    union all
    select distinct 'capability_scores' as raw_table, source_id from {{ source('raw', 'capability_scores') }}

)

select raw_table, source_id
from raw_sources
where (raw_table = 'price_facts' and source_id not in ({{ sql_string_list(staged_prices) }}))
    or (raw_table = 'model_attributes' and source_id not in ({{ sql_string_list(staged_models) }}))
    or (raw_table = 'capex_facts' and source_id not in ({{ sql_string_list(var('sec_source_ids')) }}))
    or (raw_table = 'capability_scores' and source_id not in ({{ sql_string_list(staged_capabilities) }}))
