-- Every name any source uses for a model, once per (source, seller, name): from price observations, model
-- listings, usage rankings and capability scores (the score source stands as the seller: it sells nothing), with the creator the source states (listings and rankings do), the
-- display name, when it was seen, and how many price rows carry it (for the unmatched share).
-- The seller is canonical already (seeds/seller_aliases.csv: `gemini` -> `google`, ...).
with prices as (

    select source_id, provider_id, model_id as name, model_name, cast(null as varchar) as creator_hint,
           observed_date, 1 as price_rows
    from {{ ref('int_price_observations_unioned') }}

),

listings as (

    select source_id, provider_id, model_id as name, model_name, creator as creator_hint,
           observed_date, 0 as price_rows
    from {{ ref('int_model_attributes_unioned') }}

),

usage as (

    select source_id, 'openrouter' as provider_id, model_id as name, cast(null as varchar) as model_name,
           creator as creator_hint, usage_date as observed_date, 0 as price_rows
    from {{ ref('stg_openrouter_rankings__usage') }}
    where model_id <> 'other'

),

capability as (

    select source_id, source_id as provider_id, model_id as name, model_name, creator as creator_hint,
           observed_date, 0 as price_rows
    from {{ ref('int_capability_scores_unioned') }}

),

named as (

    select * from prices
    union all
    select * from listings
    union all
    select * from usage
    union all
    select * from capability

),

sellers as (

    select * from {{ ref('seller_aliases') }}

)

select
    named.source_id,
    coalesce(sellers.provider_id, named.provider_id)   as provider_id,
    named.name,
    max(named.model_name)                              as model_name,
    -- a list of creators (Epoch AI: "google-deepmind,google") names the lead organisation first
    max(split_part(lower(named.creator_hint), ',', 1))  as creator_hint,
    min(named.observed_date)                           as first_seen_date,
    max(named.observed_date)                           as last_seen_date,
    cast(sum(named.price_rows) as bigint)              as price_rows

from named
left join sellers
    on named.provider_id = sellers.alias
group by 1, 2, 3
