{#
  The body of every stg_<name>__prices model: raw.price_facts rows of the source ids that
  var('price_sources')[name] lists, renamed and cast only (partition_date -> observed_date).
  A price source's staging model is the single line `{{ stage_price_facts('<name>') }}`.
#}
{% macro stage_price_facts(name) %}
{%- set source_ids = var('price_sources')[name] %}
{{ config(meta={'costcurve': {'source_ids': source_ids}}) }}
with source as (

    select * from {{ source('raw', 'price_facts') }}
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
        model_name,
        token_type,
        service_tier,
        context_band,
        modality,
        currency,
        cast(price_per_mtok as decimal(38, 18))      as price_per_mtok,
        cast(usd_per_mtok as decimal(38, 18))        as usd_per_mtok,
        unit_as_published,
        raw_value,
        cast(valid_from as date)                     as valid_from,
        cast(valid_to as date)                       as valid_to,
        valid_from_basis,
        loaded_at

    from source

)

select * from renamed
{% endmacro %}
