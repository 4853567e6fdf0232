{#
  The body of every stg_<name>__capability_scores model: raw.capability_scores rows of the source ids
  that var('capability_sources')[name] lists, renamed and cast only (partition_date -> observed_date).
  A capability source's staging model is the single line `{{ stage_capability_scores('<name>') }}`.
#}
{% macro stage_capability_scores(name) %}
{%- set source_ids = var('capability_sources')[name] %}
{{ config(meta={'costcurve': {'source_ids': source_ids}}) }}
with source as (

    select * from {{ source('raw', 'capability_scores') }}
    where source_id in ({{ sql_string_list(source_ids) }})

),

renamed as (

    select
        cast(partition_date as date)                 as observed_date,
        source_id,
        source_url,
        fetched_at,
        raw_sha256,
        parser_version,
        model_id,
        model_name,
        creator,
        benchmark,
        benchmark_version,
        cast(score as decimal(18, 6))                as score,
        scale,
        cast(as_of as date)                          as as_of,
        as_of_basis,
        cast(release_date as date)                   as release_date,
        score_source_url,
        raw_value,
        citation,
        loaded_at

    from source

)

select * from renamed
{% endmacro %}
