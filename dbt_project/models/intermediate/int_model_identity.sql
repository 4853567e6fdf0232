-- Every name any source uses for a model -> one canonical model_id `<creator>/<base>`, over time.
-- Grain: (source_id, provider_id, name, valid_from); valid_from/valid_to (exclusive) are NULL when open.
-- A name resolves, first rule that applies:
--   1. crosswalk  seeds/model_crosswalk.csv names the canonical id of a normalised base outright (a
--                 seller's product name such as Groq's `llama-3.3-70b-versatile`);
--   2. alias      the seller's own listing states what the alias meant on each day (int_model_alias_targets:
--                 DeepSeek's `deepseek-chat`), so an observation resolves to the model the alias meant then;
--   3. rule       creator + the normalised base (macros/model_identity.sql). The creator is the name's
--                 author (`meta-llama/...`), else the creator the source states, else a name prefix
--                 (`claude` -> anthropic), each through seeds/model_creators.csv; else the seller when it
--                 sells only its own models (seeds/providers.csv); else the author or stated creator as
--                 the source spells it (a fine-tuner such as `thedrummer/...` is its own creator).
-- A name with no creator resolves to nothing: canonical_model_id is NULL and mart_unmatched_model_names
-- lists it. Nothing is dropped.
{#- a table: fct_price_observations, the attribute and history resolvers and the share mart all join it,
    and as a view each of them re-ran the prefix regexes over every name -#}
{{ config(materialized="table") }}

with names as (

    select
        *,
        {{ model_author('name') }}   as author,
        {{ model_base('name') }}     as base

    from {{ ref('int_model_names') }}

),

creators as (

    select * from {{ ref('model_creators') }}

),

prefixes as (

    -- a prefix pattern's first character when it is a literal one every match starts with (not a
    -- metacharacter, not made optional by a quantifier, no top-level alternation): names are then joined
    -- by it on a hash before any regex runs, instead of every name against every pattern
    select
        pattern,
        creator,
        case
            when regexp_matches(pattern, '^[a-z0-9_-]([^?*{]|$)') and not contains(pattern, '|')
                then left(pattern, 1)
        end as first_char

    from creators
    where kind = 'prefix'

),

prefix_candidates as (

    select names.source_id, names.provider_id, names.name, names.base, prefixes.pattern, prefixes.creator
    from names
    inner join prefixes on prefixes.first_char = left(names.base, 1)

    union all

    select names.source_id, names.provider_id, names.name, names.base, prefixes.pattern, prefixes.creator
    from names
    cross join prefixes
    where prefixes.first_char is null

),

by_prefix as (

    -- the longest matching prefix wins (`gpt-oss` before `gpt`)
    select source_id, provider_id, name, creator,
           row_number() over (partition by source_id, provider_id, name
                              order by length(pattern) desc) as match_rank
    from prefix_candidates
    where regexp_matches(base, '^(' || pattern || ')')

),

with_creator as (

    select
        names.*,
        coalesce(by_author.creator, by_hint.creator, by_prefix.creator,
                 case when providers.is_first_party then names.provider_id end,
                 names.author, names.creator_hint) as creator,
        case
            when by_author.creator is not null then 'author'
            when by_hint.creator is not null then 'stated_creator'
            when by_prefix.creator is not null then 'name_prefix'
            when providers.is_first_party then 'first_party_seller'
            when names.author is not null then 'author_as_named'
            when names.creator_hint is not null then 'stated_creator_as_named'
        end as creator_basis

    from names
    left join creators as by_author
        on by_author.kind = 'author' and by_author.pattern = names.author
    left join creators as by_hint
        on by_hint.kind = 'author' and by_hint.pattern = names.creator_hint
    left join by_prefix
        on by_prefix.source_id = names.source_id and by_prefix.provider_id = names.provider_id
        and by_prefix.name = names.name and by_prefix.match_rank = 1
    left join {{ ref('providers') }} as providers
        on providers.provider_id = names.provider_id

),

crosswalk as (

    select * from {{ ref('model_crosswalk') }}

),

aliases as (

    select * from {{ ref('int_model_alias_targets') }}

),

resolved as (

    -- a name that is an alias of its seller gets one row per interval the listing states
    select
        with_creator.source_id, with_creator.provider_id, with_creator.name, with_creator.model_name,
        with_creator.creator, with_creator.creator_basis, with_creator.base,
        coalesce(crosswalk.canonical_model_id,
                 case when aliases.target_base is not null then with_creator.creator || '/' || aliases.target_base end,
                 case when with_creator.creator is not null then with_creator.creator || '/' || with_creator.base end
        ) as canonical_model_id,
        case
            when crosswalk.canonical_model_id is not null then 'crosswalk'
            when aliases.target_base is not null then 'alias_listing'
            when with_creator.creator is not null then 'rule'
        end as match_rule,
        case when crosswalk.canonical_model_id is null then aliases.valid_from end as valid_from,
        case when crosswalk.canonical_model_id is null then aliases.valid_to end   as valid_to,
        with_creator.first_seen_date, with_creator.last_seen_date, with_creator.price_rows

    from with_creator
    left join crosswalk
        on crosswalk.base = with_creator.base
    left join aliases
        on aliases.seller_id = with_creator.provider_id and aliases.alias_base = with_creator.base

)

select
    source_id,
    provider_id,
    name,
    model_name,
    base,
    creator,
    creator_basis,
    canonical_model_id,
    match_rule,
    valid_from,
    valid_to,
    first_seen_date,
    last_seen_date,
    price_rows

from (
    -- a crosswalk hit makes the alias intervals moot: keep one row
    select *, row_number() over (partition by source_id, provider_id, name, valid_from order by valid_to) as n
    from resolved
) deduplicated
where n = 1
