-- Every model listing (int_model_attributes_unioned) with the canonical model it describes on its day
-- (int_model_identity); listings of names no rule resolves are left out here and stay visible in
-- mart_unmatched_model_names.
with listings as (

    select * from {{ ref('int_model_attributes_unioned') }}

),

sellers as (

    select * from {{ ref('seller_aliases') }}

),

identity as (

    select * from {{ ref('int_model_identity') }}
    where canonical_model_id is not null

)

select
    listings.*,
    identity.canonical_model_id

from listings
left join sellers
    on listings.provider_id = sellers.alias
inner join identity
    on identity.source_id = listings.source_id
    and identity.provider_id = coalesce(sellers.provider_id, listings.provider_id)
    and identity.name = listings.model_id
    and {{ within_validity('listings.observed_date', 'identity.valid_from', 'identity.valid_to') }}
