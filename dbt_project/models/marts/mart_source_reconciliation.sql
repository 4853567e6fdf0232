-- Where sources disagree on a price: for each seller, canonical model and price dimension (token type,
-- tier, context band, modality, currency) that more than one source shows over the same dates, the
-- consensus, the spread, and the sources off the consensus by more than var('reconciliation_tolerance_pct')
-- percent. Built on int_price_history_resolved (every source's SCD2 history at canonical sellers and
-- models, the input of fct_market_prices too): a row per change of the comparison, never per day.
--
-- Comparable dates: the sources' validity intervals [valid_from, valid_to) overlap. The series' time is
-- cut at every source's valid_from and valid_to into stretches; a stretch that two or more sources cover
-- is compared. Per stretch:
--   consensus_price_per_mtok  the mode: the price the most sources show; ties as fct_market_prices breaks
--                             them (the seller's own price list, then the most recently observed, then
--                             the lower price)
--   spread_pct                (max - min) / consensus * 100; NULL when the consensus is 0 (free)
--   a source disagrees        when |its price - consensus| / consensus * 100 > tolerance_pct (with a
--                             consensus of 0: when its price is not 0)
-- multi_price_source_ids names a source that shows two or more prices itself over the stretch (two of its
-- names resolve to one series): a disagreement it causes may be an identity or tier collision to fix.
-- Adjacent stretches that compare the same sources at the same prices merge into one row, so a row
-- changes only when a source's price changes or a source starts or stops covering the series.
{%- set key = ['seller_id', 'model_id', 'token_type', 'service_tier', 'context_band', 'modality', 'currency'] %}
{%- set key_list = key | join(', ') %}
{%- set tolerance = var('reconciliation_tolerance_pct', 1) %}

with prices as (

    select * from {{ ref('int_price_history_resolved') }}

),

stretches as (

    {{ validity_stretches('prices', key) }}

),

covering as (

    select
        {% for column in key %}stretches.{{ column }}, {% endfor %}
        stretches.valid_from,
        stretches.valid_to,
        prices.source_id,
        prices.price_per_mtok,
        prices.is_seller_price_list,
        prices.last_observed_date

    from stretches
    inner join prices
        on {% for column in key %}prices.{{ column }} = stretches.{{ column }}{% if not loop.last %} and {% endif %}{% endfor %}
        and prices.valid_from <= stretches.valid_from
        and (prices.valid_to is null or prices.valid_to > stretches.valid_from)

),

stretch_sources as (

    select {{ key_list }}, valid_from, count(distinct source_id) as sources
    from covering
    group by {{ key_list }}, valid_from

),

compared as (

    -- only stretches that two or more sources cover
    select covering.*, stretch_sources.sources
    from covering
    inner join stretch_sources
        on {% for column in key %}stretch_sources.{{ column }} = covering.{{ column }} and {% endfor %}stretch_sources.valid_from = covering.valid_from
    where stretch_sources.sources >= 2

),

votes as (

    select
        {{ key_list }},
        valid_from,
        price_per_mtok,
        count(distinct source_id)            as sources_agreeing,
        max(case when is_seller_price_list then 1 else 0 end) as from_seller_price_list,
        max(last_observed_date)              as last_observed_date

    from compared
    group by {{ key_list }}, valid_from, price_per_mtok

),

consensus as (

    select *
    from (
        select
            votes.*,
            row_number() over (
                partition by {{ key_list }}, valid_from
                order by sources_agreeing desc, from_seller_price_list desc, last_observed_date desc, price_per_mtok
            ) as vote_rank
        from votes
    ) ranked
    where vote_rank = 1

),

source_prices as (

    -- a source that shows two or more prices for one series over a stretch: two of its names resolve to the
    -- same series (an identity or tier the resolution merges), not a disagreement between sources
    select {{ key_list }}, valid_from, source_id, count(distinct price_per_mtok) as prices
    from compared
    group by {{ key_list }}, valid_from, source_id

),

judged as (

    select
        compared.*,
        source_prices.prices > 1       as shows_several_prices,
        consensus.price_per_mtok       as consensus_price_per_mtok,
        consensus.sources_agreeing     as consensus_sources,
        case
            when consensus.price_per_mtok = 0 then compared.price_per_mtok <> 0
            else abs(compared.price_per_mtok - consensus.price_per_mtok) * 100
                 > {{ tolerance }} * consensus.price_per_mtok
        end                            as disagrees,
        -- the price as text without trailing zeros (DECIMAL(38, 18) prints 18 decimals)
        rtrim(rtrim(cast(compared.price_per_mtok as {{ dbt.type_string() }}), '0'), '.') as price_text

    from compared
    inner join consensus
        on {% for column in key %}consensus.{{ column }} = compared.{{ column }} and {% endfor %}consensus.valid_from = compared.valid_from
    inner join source_prices
        on {% for column in key %}source_prices.{{ column }} = compared.{{ column }} and {% endfor %}source_prices.valid_from = compared.valid_from
        and source_prices.source_id = compared.source_id

),

per_stretch as (

    select
        {{ key_list }},
        valid_from,
        valid_to,
        max(consensus_price_per_mtok)                                  as consensus_price_per_mtok,
        max(consensus_sources)                                         as consensus_sources,
        min(price_per_mtok)                                            as min_price_per_mtok,
        max(price_per_mtok)                                            as max_price_per_mtok,
        max(sources)                                                   as sources,
        string_agg(distinct source_id, ',' order by source_id)         as source_ids,
        count(distinct case when disagrees then source_id end)         as disagreeing_sources,
        string_agg(distinct case when disagrees then source_id end, ','
                   order by case when disagrees then source_id end)    as disagreeing_source_ids,
        string_agg(distinct case when disagrees
                       then source_id || ': ' || price_text || ' (last seen ' || cast(last_observed_date as {{ dbt.type_string() }}) || ')' end,
                   '; '
                   order by case when disagrees
                       then source_id || ': ' || price_text || ' (last seen ' || cast(last_observed_date as {{ dbt.type_string() }}) || ')' end)
                                                                       as disagreeing_prices,
        string_agg(distinct case when shows_several_prices then source_id end, ','
                   order by case when shows_several_prices then source_id end) as multi_price_source_ids,
        -- what was compared: every source's price, to merge stretches that compare the same thing
        string_agg(distinct source_id || '=' || price_text, ',' order by source_id || '=' || price_text) as signature

    from judged
    group by {{ key_list }}, valid_from, valid_to

),

runs as (

    -- a new row where the compared sources, their prices or the consensus change, or after a gap
    {{ adjacent_runs('per_stretch', key, ['signature', 'consensus_price_per_mtok']) }}

),

merged as (

    select
        {{ key_list }},
        run_number,
        min(valid_from)                                                as compared_from,
        -- NULL (still open) wins over any date
        case when count(valid_to) < count(*) then null else max(valid_to) end as compared_to,
        max(consensus_price_per_mtok)                                  as consensus_price_per_mtok,
        max(consensus_sources)                                         as consensus_sources,
        max(min_price_per_mtok)                                        as min_price_per_mtok,
        max(max_price_per_mtok)                                        as max_price_per_mtok,
        max(sources)                                                   as sources,
        max(source_ids)                                                as source_ids,
        max(disagreeing_sources)                                       as disagreeing_sources,
        max(disagreeing_source_ids)                                    as disagreeing_source_ids,
        max(disagreeing_prices)                                        as disagreeing_prices,
        max(multi_price_source_ids)                                    as multi_price_source_ids

    from runs
    group by {{ key_list }}, run_number

)

select
    cast({{ surrogate_key(key + ['compared_from']) }} as {{ dbt.type_string() }}) as reconciliation_id,
    {{ key_list }},
    compared_from,
    compared_to,
    compared_to is null                                                as is_current,
    consensus_price_per_mtok,
    min_price_per_mtok,
    max_price_per_mtok,
    case
        when consensus_price_per_mtok > 0
            then cast(round(100 * (max_price_per_mtok - min_price_per_mtok) / consensus_price_per_mtok, 4) as decimal(18, 4))
    end                                                                as spread_pct,
    cast(sources as integer)                                           as sources,
    source_ids,
    cast(consensus_sources as integer)                                 as consensus_sources,
    cast(disagreeing_sources as integer)                               as disagreeing_sources,
    disagreeing_source_ids,
    disagreeing_prices,
    disagreeing_sources > 0                                            as is_disagreement,
    multi_price_source_ids,
    cast({{ tolerance }} as decimal(9, 4))                             as tolerance_pct

from merged
