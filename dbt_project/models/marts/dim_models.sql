-- One row per canonical model_id. Attributes come from the latest listing of the model by any model
-- source (int_model_attributes_unioned: OpenRouter, DeepSeek, genai-prices, models.dev, Together, Epoch AI's
-- Notable AI Models; several ids such
-- as `x/y` and `x/y:batch` can map to one model_id: the shortest id sorts first); models seen only in
-- price observations get creator = the provider when the provider is a first party
-- (seeds/providers.csv), and unknown (NULL) open weights.
--
-- open_weights: the latest explicit claim of any source (models.dev's open_weights flag says TRUE or
-- FALSE; Epoch's Model accessibility says TRUE for open weights of any licence, the licence in the basis,
-- and FALSE for API-only, hosted-only and unreleased models; the OpenRouter parser says TRUE when the
-- model has a Hugging Face repository), with its basis; otherwise TRUE when a Hugging Face repository is
-- listed; otherwise NULL = unknown. A missing Hugging Face link is not evidence of closed weights.
-- "Latest" is by observed day, then fetch time, then source_id: there is no ranking of sources yet (a
-- curated seed, then models.dev, then Epoch, then a Hugging Face id is the intended order). Epoch's list
-- names models by their paper or launch name, so its claims land on the model_ids its names slug to
-- ("Claude 3.5 Sonnet" -> claude-3.5-sonnet, OpenRouter's style) and on nothing else until a crosswalk.
with listings as (

    select * from {{ ref('int_model_attributes_unioned') }}

),

open_weights_claims as (

    select
        model_id,
        open_weights,
        open_weights_basis,
        row_number() over (
            partition by model_id
            order by observed_date desc, fetched_at desc, source_id, source_model_id
        ) as claim_rank

    from listings
    where open_weights is not null

),

latest_listing as (

    select
        *,
        row_number() over (
            partition by model_id
            order by observed_date desc, fetched_at desc, source_id, source_model_id
        ) as listing_rank

    from listings

),

prices as (

    select * from {{ ref('fct_price_observations') }}

),

providers as (

    select * from {{ ref('providers') }}

),

latest_price_name as (

    select
        model_id,
        model_name,
        row_number() over (
            partition by model_id
            order by observed_date desc, fetched_at desc, source_id, provider_id
        ) as name_rank

    from prices

),

price_creators as (

    select
        prices.model_id,
        min(case when providers.is_first_party then prices.provider_id end) as first_party_provider_id

    from prices
    left join providers
        on prices.provider_id = providers.provider_id
    group by prices.model_id

),

seen as (

    select model_id, observed_date from listings
    union all
    select model_id, observed_date from prices

),

seen_dates as (

    select
        model_id,
        min(observed_date) as first_seen_date,
        max(observed_date) as last_seen_date

    from seen
    group by model_id

),

listed_models as (

    select
        latest_listing.model_id,
        latest_listing.creator,
        latest_listing.model_name,
        case
            when open_weights_claims.open_weights is not null then open_weights_claims.open_weights
            when latest_listing.hugging_face_id is not null then true
        end as open_weights,
        case
            when open_weights_claims.open_weights is not null then open_weights_claims.open_weights_basis
            when latest_listing.hugging_face_id is not null then latest_listing.source_id || ':hugging_face_id'
        end as open_weights_basis,
        latest_listing.hugging_face_id,
        latest_listing.context_length

    from latest_listing
    left join open_weights_claims
        on latest_listing.model_id = open_weights_claims.model_id
        and open_weights_claims.claim_rank = 1
    where latest_listing.listing_rank = 1

),

price_only_models as (

    select
        latest_price_name.model_id,
        price_creators.first_party_provider_id          as creator,
        latest_price_name.model_name,
        cast(null as boolean)                           as open_weights,
        cast(null as {{ dbt.type_string() }})           as open_weights_basis,
        cast(null as {{ dbt.type_string() }})           as hugging_face_id,
        cast(null as bigint)                            as context_length

    from latest_price_name
    inner join price_creators
        on latest_price_name.model_id = price_creators.model_id
    where latest_price_name.name_rank = 1
        and latest_price_name.model_id not in (select model_id from listed_models)

),

models as (

    select * from listed_models
    union all
    select * from price_only_models

)

select
    models.model_id,
    models.creator,
    models.model_name,
    models.open_weights,
    models.open_weights_basis,
    models.hugging_face_id,
    models.context_length,
    seen_dates.first_seen_date,
    seen_dates.last_seen_date

from models
inner join seen_dates
    on models.model_id = seen_dates.model_id
