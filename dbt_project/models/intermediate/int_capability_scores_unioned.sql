-- Every capability source's scores (stg_<name>__capability_scores for each name in
-- var('capability_sources')), one column list, before resolving their model names.
{%- set columns = [
    'observed_date', 'source_id', 'source_url', 'model_id', 'model_name', 'creator', 'benchmark',
    'benchmark_version', 'score', 'scale', 'as_of', 'as_of_basis', 'release_date', 'score_source_url',
    'citation',
] %}

{% for name in var('capability_sources') %}
select
    {{ columns | join(',\n    ') }}
from {{ ref('stg_' ~ name ~ '__capability_scores') }}
{% if not loop.last %}union all{% endif %}
{% endfor %}
