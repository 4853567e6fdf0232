{#
  The body of every stg_<name>__models model: raw.model_attributes rows of the source ids that
  var('model_sources')[name] lists, renamed and cast only. An empty hugging_face_id string is a
  source's way of saying "none" and becomes NULL.
#}
{% macro stage_model_attributes(name) %}
{%- set source_ids = var('model_sources')[name] %}
{{ config(meta={'costcurve': {'source_ids': source_ids}}) }}
with source as (

    select * from {{ source('raw', 'model_attributes') }}
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
        provider_id,
        model_id,
        source_model_id,
        model_name,
        creator,
        nullif(trim(hugging_face_id), '')            as hugging_face_id,
        open_weights,
        open_weights_basis,
        cast(context_length as bigint)               as context_length,
        created_at,
        loaded_at

    from source

)

select * from renamed
{% endmacro %}
