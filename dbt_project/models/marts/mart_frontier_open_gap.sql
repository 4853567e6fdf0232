-- The frontier-to-open-weight price gap, per day and measure (blended 3:1, input, output):
--   gap_ratio          = cheapest frontier closed-weights price / cheapest open-weights price at the same
--                        tier (frontier) that day: what closed frontier capability costs over open at par;
--   best_open_ratio    = cheapest frontier closed price / the price of the best open-weights model that day
--                        (the most capable one priced, whatever its tier: first index of
--                        var('capability_tier_indices'), highest score), with capability_gap = the frontier
--                        model's score - the best open model's score on the same index beside it;
--   gap_trend_annual_factor = exp(365.25 * slope) of a least-squares fit of ln(gap_ratio) on the day over the
--                        trailing 365 days (the ratio's yearly multiple: 0.5 = the gap halves each year).
-- Prices and tiers come from int_price_index_series (every seller's price of each model; tiers as of the day).
with series as (

    select * from {{ ref('int_price_index_series') }}

),

models as (

    select * from {{ ref('dim_models') }}

),

ranked_indices as (

    {% for index in var('capability_tier_indices') %}
    select {{ loop.index }} as precedence, '{{ index.source_id }}: {{ index.benchmark }}' as capability_index
    {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

bounds as (

    select min(valid_from) as first_day,
           (select max(observed_date) from {{ ref('int_price_observations_unioned') }}) as last_day
    from series where index_group = 'frontier_closed'

),

spine as (

    select cast(unnest(generate_series(first_day, last_day, interval 1 day)) as date) as day,
           measure
    from bounds, (select unnest(['blended', 'input', 'output']) as measure)

),

cheapest_closed as (

    select spine.day, spine.measure,
           min(series.usd_per_mtok) as usd_per_mtok,
           arg_min(series.model_id, series.usd_per_mtok) as model_id,
           arg_min(series.seller_id, series.usd_per_mtok) as seller_id
    from spine
    inner join series
        on series.index_group = 'frontier_closed' and series.measure = spine.measure
        and series.valid_from <= spine.day and (series.valid_to is null or series.valid_to > spine.day)
    group by all

),

cheapest_open_frontier as (

    select spine.day, spine.measure,
           min(series.usd_per_mtok) as usd_per_mtok,
           arg_min(series.model_id, series.usd_per_mtok) as model_id,
           arg_min(series.seller_id, series.usd_per_mtok) as seller_id
    from spine
    inner join series
        on series.index_group = 'frontier_open' and series.measure = spine.measure
        and series.valid_from <= spine.day and (series.valid_to is null or series.valid_to > spine.day)
    group by all

),

open_priced as (

    -- each open-weights model priced on the day: its cheapest seller, and its rank by capability
    select spine.day, spine.measure, series.model_id, models.capability_score, models.capability_index,
           min(series.usd_per_mtok) as usd_per_mtok,
           arg_min(series.seller_id, series.usd_per_mtok) as seller_id
    from spine
    inner join series
        on series.index_group = 'open_weight' and series.measure = spine.measure
        and series.valid_from <= spine.day and (series.valid_to is null or series.valid_to > spine.day)
    inner join models on models.model_id = series.model_id and models.capability_score is not null
    group by all

),

best_open as (

    select open_priced.*
    from open_priced
    inner join ranked_indices on ranked_indices.capability_index = open_priced.capability_index
    qualify row_number() over (partition by day, measure
                               order by ranked_indices.precedence, capability_score desc, usd_per_mtok, model_id) = 1

),

joined as (

    select
        cheapest_closed.day,
        cheapest_closed.measure,
        cheapest_closed.model_id                                     as frontier_closed_model_id,
        cheapest_closed.seller_id                                    as frontier_closed_seller_id,
        cheapest_closed.usd_per_mtok                                 as frontier_closed_usd_per_mtok,
        cheapest_open_frontier.model_id                              as frontier_open_model_id,
        cheapest_open_frontier.seller_id                             as frontier_open_seller_id,
        cheapest_open_frontier.usd_per_mtok                          as frontier_open_usd_per_mtok,
        cheapest_closed.usd_per_mtok / cheapest_open_frontier.usd_per_mtok as gap_ratio,
        best_open.model_id                                           as best_open_model_id,
        best_open.seller_id                                          as best_open_seller_id,
        best_open.usd_per_mtok                                       as best_open_usd_per_mtok,
        cheapest_closed.usd_per_mtok / best_open.usd_per_mtok        as best_open_ratio,
        case when closed_model.capability_index = best_open.capability_index
             then closed_model.capability_score - best_open.capability_score end as capability_gap,
        best_open.capability_index                                   as capability_gap_index

    from cheapest_closed
    left join cheapest_open_frontier
        on cheapest_open_frontier.day = cheapest_closed.day and cheapest_open_frontier.measure = cheapest_closed.measure
    left join best_open
        on best_open.day = cheapest_closed.day and best_open.measure = cheapest_closed.measure
    left join models as closed_model
        on closed_model.model_id = cheapest_closed.model_id

)

select
    joined.*,
    exp(365.25 * regr_slope(ln(cast(gap_ratio as double)), epoch(day) / 86400.0) over trailing_year) as gap_trend_annual_factor,
    cast(regr_count(ln(cast(gap_ratio as double)), epoch(day) / 86400.0) over trailing_year as integer) as gap_trend_days

from joined
window trailing_year as (partition by measure order by day range between interval 364 days preceding and current row)
