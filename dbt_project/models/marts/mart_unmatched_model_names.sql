-- Names no identity rule resolves (int_model_identity.canonical_model_id is NULL): never dropped, listed
-- here with where they come from and how many price rows they carry, so the crosswalk can grow.
select
    source_id,
    provider_id,
    name,
    model_name,
    first_seen_date,
    last_seen_date,
    price_rows

from {{ ref('int_model_identity') }}
where canonical_model_id is null
