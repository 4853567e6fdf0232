-- One row per canonical model (int_model_identity): `<creator>/<base>`, whatever the sources call it.
--
-- open_weights, first claim by precedence (then the latest observed):
--   1. seeds/model_open_weights.csv   curated per model, with evidence;
--   2. models.dev                     its open_weights flag;
--   3. Epoch AI Notable Models        Model accessibility (open weights of any licence TRUE; API, hosted
--                                     and unreleased FALSE), the licence note kept as basis;
--   4. a Hugging Face repository      OpenRouter or models.dev lists one: TRUE;
--   5. seeds/model_weights_by_family  what the creator does with the whole family (Claude: no weights;
--                                     gpt-oss: open), only for families whose maker's practice is uniform;
--   else NULL = unknown: a missing link is not evidence of closed weights.
-- licence: the curated seed's, else Epoch AI's licence class (unrestricted, restricted use, non-commercial).
-- capability: the score of the first index in var('capability_tier_indices') that scores the model, and
-- its capability_tier on the warehouse's latest price day (dim_model_capability_tiers holds the tier over time); unscored models say so.
-- release_date: the earliest release/publication date models.dev or Epoch states, else the earliest
-- date a listing says the model was created (OpenRouter's `created`: when it was listed there).
with identity as (

    select * from {{ ref('int_model_identity') }}
    where canonical_model_id is not null

),

listings as (

    select * from {{ ref('int_model_attributes_resolved') }}

),

curated as (

    select * from {{ ref('model_open_weights') }}

),

claims as (

    select canonical_model_id, open_weights, 'curated:' || evidence as basis, 1 as precedence,
           cast(null as date) as observed_date
    from curated

    union all

    select canonical_model_id, open_weights, open_weights_basis, 2, observed_date
    from listings
    where source_id = 'models_dev' and open_weights is not null

    union all

    select canonical_model_id, open_weights, open_weights_basis, 3, observed_date
    from listings
    where source_id = 'epoch_notable_models' and open_weights is not null

    union all

    select canonical_model_id, true, source_id || ':hugging_face_id=' || hugging_face_id, 4, observed_date
    from listings
    where hugging_face_id is not null

    union all

    select names.canonical_model_id, families.open_weights, 'family:' || families.evidence, 5, null
    from (select distinct canonical_model_id, creator, base from identity) names
    inner join {{ ref('model_weights_by_family') }} families
        on families.creator = names.creator and regexp_matches(names.base, families.base_pattern)

),

best_claim as (

    select
        *,
        row_number() over (
            -- open_weights last: two listings of one source on one day that disagree always give the same claim
            partition by canonical_model_id order by precedence, observed_date desc nulls last, basis, open_weights
        ) as claim_rank

    from claims

),

latest_listing as (

    select
        *,
        row_number() over (
            partition by canonical_model_id
            -- down to the seller: one source lists a model under several sellers at once (genai-prices'
            -- huggingface_groq, huggingface_nscale ...), and without it the pick changed from build to build
            order by observed_date desc, fetched_at desc, source_id, source_model_id, provider_id, model_id
        ) as listing_rank

    from listings

),

listed as (

    select
        canonical_model_id,
        coalesce(
            min(case when source_id in ('models_dev', 'epoch_notable_models') then cast(created_at as date) end),
            min(cast(created_at as date))
        )                                    as release_date,
        max(hugging_face_id)                 as hugging_face_id,
        min(observed_date)                   as first_listed_date,
        max(observed_date)                   as last_listed_date

    from listings
    group by canonical_model_id

),

licences as (

    -- the curated seed's licence, else Epoch AI's licence class of an open-weights model: the parenthesis
    -- of its Model accessibility ("Open weights (non-commercial)" -> non-commercial)
    select canonical_model_id, licence from curated where licence is not null
    union all
    select canonical_model_id,
           max(regexp_extract(open_weights_basis, '^epoch_notable_models:Model accessibility=Open weights \(([^)]+)\)$', 1))
    from listings
    where source_id = 'epoch_notable_models'
        and regexp_matches(open_weights_basis, '^epoch_notable_models:Model accessibility=Open weights \(')
        and canonical_model_id not in (select canonical_model_id from curated where licence is not null)
    group by canonical_model_id

),

latest as (

    -- "today" is the warehouse's latest price day, not the clock: a replay of old captures is tiered as of then
    select max(observed_date) as day from {{ ref('int_price_observations_unioned') }}

),

capability as (

    -- the score of the first tiering index that scores the model
    select
        scores.*,
        row_number() over (partition by scores.model_id order by indices.precedence) as capability_rank
    from {{ ref('int_model_capability_scores') }} as scores
    inner join (
        {% for index in var('capability_tier_indices') %}
        select {{ loop.index }} as precedence, '{{ index.source_id }}' as source_id, '{{ index.benchmark }}' as benchmark
        {% if not loop.last %}union all{% endif %}
        {% endfor %}
    ) as indices
        on indices.source_id = scores.source_id and indices.benchmark = scores.benchmark

),

names as (

    select
        canonical_model_id,
        min(base)                            as base,
        max(model_name)                      as any_name,
        count(distinct name)                 as name_count,
        min(first_seen_date)                 as first_seen_date,
        max(last_seen_date)                  as last_seen_date

    from identity
    group by canonical_model_id

)

select
    names.canonical_model_id                                              as model_id,
    split_part(names.canonical_model_id, '/', 1)                          as creator,
    -- the base without its size, date and variant parts: `claude-haiku-3.5` -> `claude-haiku`,
    -- `gpt-oss-120b` -> `gpt-oss`, `llama-3.3-70b-instruct` -> `llama`, `deepseek-v3.2` -> `deepseek`, `o3` stays
    coalesce(nullif(regexp_replace(split_part(names.canonical_model_id, '/', 2), '[-.]?v?[0-9].*$', ''), ''),
             split_part(names.canonical_model_id, '/', 2))                 as model_family,
    coalesce(latest_listing.model_name, names.any_name, names.base)       as model_name,
    listed.release_date,
    best_claim.open_weights,
    best_claim.basis                                                      as open_weights_basis,
    -- a licence describes published weights: none for a model whose weights are not (known to be) open
    case when best_claim.open_weights then licences.licence end           as licence,
    listed.hugging_face_id,
    latest_listing.context_length,
    cast(names.name_count as integer)                                     as name_count,
    least(names.first_seen_date, listed.first_listed_date)                as first_seen_date,
    greatest(names.last_seen_date, listed.last_listed_date)               as last_seen_date,
    capability.score                                                      as capability_score,
    coalesce(capability.source_id || ': ' || capability.benchmark, 'unscored') as capability_index,
    capability.benchmark_version                                          as capability_index_version,
    capability.as_of                                                      as capability_as_of,
    tier_today.capability_tier,
    tier_today.tier_basis                                                 as capability_tier_basis

from names
left join listed
    on listed.canonical_model_id = names.canonical_model_id
left join latest_listing
    on latest_listing.canonical_model_id = names.canonical_model_id
    and latest_listing.listing_rank = 1
left join best_claim
    on best_claim.canonical_model_id = names.canonical_model_id
    and best_claim.claim_rank = 1
left join licences
    on licences.canonical_model_id = names.canonical_model_id
cross join latest
left join capability
    on capability.model_id = names.canonical_model_id
    and capability.capability_rank = 1
left join {{ ref('dim_model_capability_tiers') }} as tier_today
    on tier_today.model_id = names.canonical_model_id
    and (tier_today.valid_from is null or tier_today.valid_from <= latest.day)
    and (tier_today.valid_to is null or tier_today.valid_to > latest.day)
