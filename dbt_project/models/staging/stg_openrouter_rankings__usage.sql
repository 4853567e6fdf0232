-- raw.usage_facts rows of OpenRouter's rankings (the keyless daily export or the keyed API): renamed
-- and cast only. One capture holds many usage days, and later captures repeat them: the marts count
-- each (usage_date, model) once, from the latest capture.
{{ config(meta={'costcurve': {'source_ids': ['openrouter_rankings']}}) }}
with source as (

    select * from {{ source('raw', 'usage_facts') }}
    where source_id = 'openrouter_rankings'

),

renamed as (

    select
        cast(partition_date as date)     as observed_date,
        source_id,
        source_url,
        fetched_at,
        raw_sha256,
        parser_version,
        cast(usage_date as date)         as usage_date,
        source_model_id,
        model_id,
        creator,
        rank,
        cast(total_tokens as hugeint)    as total_tokens,
        cast(prompt_tokens as hugeint)   as prompt_tokens,
        cast(completion_tokens as hugeint) as completion_tokens,
        share_of_daily_tokens,
        cast(as_of as date)              as as_of,
        citation,
        loaded_at

    from source

)

select * from renamed
