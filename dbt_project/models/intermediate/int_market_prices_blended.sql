-- Input, output and blended 3:1 list prices per seller and canonical model over time, as validity
-- intervals [valid_from, valid_to): the inputs of the cost-curve index, the deflation and gap marts.
-- From fct_market_prices' standard tier, whole context ('all'), text, in USD, at a price above zero (a
-- free tier is not a price on the curve, and a ratio to zero is undefined). A stretch starts wherever the
-- input or the output price changes; blended_usd_per_mtok = (3 * input + 1 * output) / 4, the 3:1
-- input:output token mix Artificial Analysis and Epoch AI blend with, only where both are known.
with prices as (

    select seller_id, model_id, token_type, usd_per_mtok, valid_from, valid_to
    from {{ ref('fct_market_prices') }}
    where service_tier = 'standard' and context_band = 'all' and modality = 'text' and currency = 'USD'
        and token_type in ('input', 'output') and usd_per_mtok > 0

),

stretches as (

    {{ validity_stretches('prices', ['seller_id', 'model_id']) }}

),

priced as (

    select
        stretches.seller_id,
        stretches.model_id,
        stretches.valid_from,
        stretches.valid_to,
        max(case when prices.token_type = 'input' then prices.usd_per_mtok end)   as input_usd_per_mtok,
        max(case when prices.token_type = 'output' then prices.usd_per_mtok end)  as output_usd_per_mtok

    from stretches
    inner join prices
        on prices.seller_id = stretches.seller_id
        and prices.model_id = stretches.model_id
        and prices.valid_from <= stretches.valid_from
        and (prices.valid_to is null or prices.valid_to > stretches.valid_from)
    group by all

)

select
    seller_id,
    model_id,
    valid_from,
    valid_to,
    input_usd_per_mtok,
    output_usd_per_mtok,
    -- times 0.25, not / 4: a DECIMAL product stays exact where a quotient would turn DOUBLE
    cast((3 * input_usd_per_mtok + output_usd_per_mtok) * 0.25 as decimal(38, 18)) as blended_usd_per_mtok

from priced
