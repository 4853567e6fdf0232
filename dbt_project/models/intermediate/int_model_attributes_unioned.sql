-- What every model source says about each model (stg_<name>__models for each name in
-- var('model_sources')), one column list, before choosing one row per model in dim_models.
{%- set columns = [
    'observed_date', 'source_id', 'source_url', 'fetched_at', 'raw_sha256', 'parser_version',
    'provider_id', 'model_id', 'source_model_id', 'model_name', 'creator', 'hugging_face_id',
    'open_weights', 'open_weights_basis', 'context_length', 'created_at', 'loaded_at',
] %}

{% for name in var('model_sources') %}
select
    {{ columns | join(',\n    ') }}
from {{ ref('stg_' ~ name ~ '__models') }}
{% if not loop.last %}union all{% endif %}
{% endfor %}
