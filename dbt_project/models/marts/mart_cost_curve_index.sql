-- The cost curve: a daily chained price index per group (all, open_weight, frontier_closed, frontier_open;
-- int_price_index_series) and measure (blended 3:1, input, output), 100 on var('cost_curve_base_date')
-- (2024-04-01), or on the group's first day when its first price comes later (base_date says which).
--
-- Each day's link compares the series present on both that day and the day before (matched models: a
-- series that enters or leaves moves nothing): link(d) = exp(mean over matched series of
-- ln(price(d) / price(d - 1))), an unweighted geometric mean (a Jevons index), each seller's price of a
-- model being one series. Prices are step functions, so a link differs from 1 only on a day some matched
-- series changes; the mean divides by every matched series, unchanged ones included.
--   index(d) = 100 * exp(L(d) - L(base)),   L(d) = sum of ln link(e) over days e <= d.
-- Matched series on d = those spanning d - 1 and d unchanged (S(d - 1) - E(d): intervals started by d - 1
-- minus those ended by d) plus those continuing across a boundary on d. The work is proportional to the
-- number of price changes plus days, never days times series.
with series as (

    select * from {{ ref('int_price_index_series') }}

),

continuing as (

    -- a series whose interval ends on d and whose next interval in the same group starts on d
    select
        ended.index_group, ended.measure, started.valid_from as day,
        ln(cast(started.usd_per_mtok as double) / cast(ended.usd_per_mtok as double)) as log_change
    from series as ended
    inner join series as started
        on started.index_group = ended.index_group and started.measure = ended.measure
        and started.seller_id = ended.seller_id and started.model_id = ended.model_id
        and started.valid_from = ended.valid_to

),

change_days as (

    select index_group, measure, day, count(*) as continuing_series,
           count(*) filter (where log_change <> 0) as changed_series, sum(log_change) as sum_log_change
    from continuing
    group by all

),

starts as (

    select index_group, measure, valid_from as day,
           sum(count(*)) over (partition by index_group, measure order by valid_from) as started_by
    from series group by index_group, measure, valid_from

),

ends as (

    select index_group, measure, valid_to as day,
           sum(count(*)) over (partition by index_group, measure order by valid_to) as ended_by
    from series where valid_to is not null group by index_group, measure, valid_to

),

bounds as (

    select index_group, measure, min(valid_from) as first_day,
           (select max(observed_date) from {{ ref('int_price_observations_unioned') }}) as last_day
    from series group by index_group, measure

),

spine as (

    select bounds.index_group, bounds.measure, cast(days.day as date) as day
    from bounds, lateral (select unnest(generate_series(bounds.first_day, bounds.last_day, interval 1 day)) as day) as days

),

counted as (

    select
        spine.index_group, spine.measure, spine.day,
        coalesce(started.started_by, 0) - coalesce(ended.ended_by, 0)
            + coalesce(change_days.continuing_series, 0)                    as series_matched,
        coalesce(change_days.changed_series, 0)                             as series_changed,
        coalesce(change_days.sum_log_change, 0)                             as sum_log_change

    from spine
    asof left join starts as started
        on started.index_group = spine.index_group and started.measure = spine.measure
        and spine.day - 1 >= started.day
    asof left join ends as ended
        on ended.index_group = spine.index_group and ended.measure = spine.measure
        and spine.day >= ended.day
    left join change_days
        on change_days.index_group = spine.index_group and change_days.measure = spine.measure
        and change_days.day = spine.day

),

chained as (

    select
        *,
        case when series_matched > 0 then sum_log_change / series_matched else 0 end   as log_link,
        sum(case when series_matched > 0 then sum_log_change / series_matched else 0 end)
            over (partition by index_group, measure order by day)                      as log_level
    from counted

),

group_bases as (

    -- the base: var('cost_curve_base_date'), or the group's first day when its first price comes later
    -- (frontier_open), so every group has a curve and its base_date says where it is 100
    select index_group, measure,
           greatest(min(day), cast('{{ var("cost_curve_base_date") }}' as date)) as base_date
    from chained
    group by index_group, measure

),

based as (

    select
        chained.*,
        group_bases.base_date,
        base.log_level                                                                 as base_log_level
    from chained
    inner join group_bases
        on group_bases.index_group = chained.index_group and group_bases.measure = chained.measure
    left join chained as base
        on base.index_group = chained.index_group and base.measure = chained.measure
        and base.day = group_bases.base_date

)

select
    index_group,
    measure,
    day,
    base_date,
    -- NULL only when the base date lies past the warehouse's latest price day
    100 * exp(log_level - base_log_level)                             as index_value,
    exp(log_link)                                                     as daily_link,
    cast(series_matched as integer)                                   as series_matched,
    cast(series_changed as integer)                                   as series_changed

from based
