-- Every price fact from every price staging model (stg_<name>__prices for each name in
-- var('price_sources')), one column list.
{%- set price_models = [] %}
{%- for name in var('price_sources') %}{% do price_models.append('stg_' ~ name ~ '__prices') %}{% endfor %}
{%- set columns = [
    'observed_date', 'source_id', 'source_url', 'fetched_at', 'raw_sha256', 'parser_version',
    'provider_id', 'model_id', 'model_name', 'token_type', 'service_tier', 'context_band', 'modality',
    'currency', 'price_per_mtok', 'usd_per_mtok', 'unit_as_published', 'raw_value', 'valid_from', 'valid_to',
    'valid_from_basis', 'loaded_at',
] %}

{% for price_model in price_models %}
select
    {{ columns | join(',\n    ') }}
from {{ ref(price_model) }}
{% if not loop.last %}union all{% endif %}
{% endfor %}
