-- a table, not a view: four marts read it, and each would otherwise recompute the blend and the tiers
{{ config(materialized="table") }}
-- The price series the cost-curve index and the gap chain or compare, as validity intervals: one row per
-- (index group, measure, seller, model, stretch). A series is a seller's price of one model for one measure
-- (`input`, `output`, `blended` 3:1; int_market_prices_blended). Its groups:
--   all              every series;
--   open_weight      the model's weights are open (dim_models.open_weights);
--   frontier_closed  closed weights (open_weights false) and capability_tier frontier on the day
--                    (dim_model_capability_tiers): the interval is cut where the tier starts or ends;
--   frontier_open    open weights and frontier on the day (the gap's matched tier).
-- Models whose weights status is unknown are in `all` only.
with prices as (

    select * from {{ ref('int_market_prices_blended') }}

),

long as (

    select seller_id, model_id, 'input' as measure, input_usd_per_mtok as usd_per_mtok, valid_from, valid_to
    from prices where input_usd_per_mtok is not null
    union all
    select seller_id, model_id, 'output', output_usd_per_mtok, valid_from, valid_to
    from prices where output_usd_per_mtok is not null
    union all
    select seller_id, model_id, 'blended', blended_usd_per_mtok, valid_from, valid_to
    from prices where blended_usd_per_mtok is not null

),

models as (

    select model_id, open_weights from {{ ref('dim_models') }}

),

membership as (

    -- (group, model, from, to): NULL bounds are open
    select 'all' as index_group, model_id, cast(null as date) as member_from, cast(null as date) as member_to
    from models
    union all
    select 'open_weight', model_id, null, null
    from models where open_weights
    union all
    select case when models.open_weights then 'frontier_open' else 'frontier_closed' end,
           tiers.model_id, tiers.valid_from, tiers.valid_to
    from {{ ref('dim_model_capability_tiers') }} as tiers
    inner join models on models.model_id = tiers.model_id and models.open_weights is not null
    where tiers.capability_tier = 'frontier'

)

select
    membership.index_group,
    long.measure,
    long.seller_id,
    long.model_id,
    long.usd_per_mtok,
    greatest(long.valid_from, coalesce(membership.member_from, long.valid_from))      as valid_from,
    case
        when long.valid_to is null then membership.member_to
        when membership.member_to is null then long.valid_to
        else least(long.valid_to, membership.member_to)
    end                                                                                as valid_to

from long
inner join membership
    on membership.model_id = long.model_id
    and (membership.member_to is null or membership.member_to > long.valid_from)
    and (membership.member_from is null or long.valid_to is null or long.valid_to > membership.member_from)
