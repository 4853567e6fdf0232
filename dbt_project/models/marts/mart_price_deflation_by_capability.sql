-- Epoch AI's measure of "LLM inference prices fell 9-900x per year", kept up to date every day: per
-- capability threshold (a score on an index, var('deflation_thresholds')), the cheapest blended 3:1 price
-- of any model scoring at or above it, at any seller, on each day; and a log-linear fit of that cheapest
-- price over time.
--   The fit's points are the record lows: each day the cheapest price falls below every earlier day's.
--   On each day the fit uses every record low up to that day: ln(price) = a + b * day, by least squares;
--   annual_decline_factor = exp(-365.25 * b) (prices divide by it each year: 10 = "fell 10x per year");
--   its 95% interval is exp(-365.25 * (b +- t * se(b))), se(b) = sqrt(SSE / (n - 2) / Sxx), t the 97.5%
--   Student t quantile for n - 2 degrees of freedom (seeds/student_t_975.csv; 1.96 past 60). NULL below 3
--   points (no interval).
-- A model's score is its latest on the index (int_model_capability_scores), wherever it was released.
with scores as (

    select * from {{ ref('int_model_capability_scores') }}

),

thresholds as (

    {%- set rows = [] %}
    {%- for index in var('deflation_thresholds') %}{% for threshold in index.thresholds %}
    {%- do rows.append("select '" ~ index.source_id ~ "' as source_id, '" ~ index.benchmark ~ "' as benchmark, "
                       ~ threshold ~ " as threshold") %}
    {%- endfor %}{% endfor %}
    {{ rows | join('\n    union all\n    ') }}

),

qualifying as (

    select thresholds.source_id, thresholds.benchmark, thresholds.threshold, scores.model_id
    from thresholds
    inner join scores
        on scores.source_id = thresholds.source_id and scores.benchmark = thresholds.benchmark
        and scores.score >= thresholds.threshold

),

series as (

    select qualifying.source_id, qualifying.benchmark, qualifying.threshold, prices.*
    from qualifying
    inner join {{ ref('int_price_index_series') }} as prices
        on prices.model_id = qualifying.model_id and prices.index_group = 'all' and prices.measure = 'blended'

),

bounds as (

    select source_id, benchmark, threshold, min(valid_from) as first_day,
           (select max(observed_date) from {{ ref('int_price_observations_unioned') }}) as last_day
    from series group by all

),

spine as (

    select bounds.source_id, bounds.benchmark, bounds.threshold, cast(days.day as date) as day
    from bounds, lateral (select unnest(generate_series(bounds.first_day, bounds.last_day, interval 1 day)) as day) as days

),

cheapest as (

    -- one row picks both model and seller; a tie on price goes to the first model and seller id, so two
    -- builds agree (two arg_min calls could each pick another of the tied rows)
    select spine.source_id, spine.benchmark, spine.threshold, spine.day,
           min(series.usd_per_mtok) as usd_per_mtok,
           arg_min(struct_pack(model_id := series.model_id, seller_id := series.seller_id),
                   struct_pack(price := series.usd_per_mtok, model_id := series.model_id,
                               seller_id := series.seller_id)) as pick
    from spine
    inner join series
        on series.source_id = spine.source_id and series.benchmark = spine.benchmark
        and series.threshold = spine.threshold
        and series.valid_from <= spine.day and (series.valid_to is null or series.valid_to > spine.day)
    group by all

),

lows as (

    select
        * exclude (pick),
        pick.model_id  as model_id,
        pick.seller_id as seller_id,
        -- x of the fit: days since the threshold's first priced day (small numbers keep the sums exact)
        cast(day - min(day) over (partition by source_id, benchmark, threshold) as double) as x_days,
        usd_per_mtok < coalesce(min(usd_per_mtok) over (
            partition by source_id, benchmark, threshold order by day
            rows between unbounded preceding and 1 preceding), 'infinity'::double) as is_record_low
    from cheapest

),

fits as (

    -- the fit over the record lows up to each record-low day (a cumulative least-squares window)
    select
        source_id, benchmark, threshold, day,
        cast(regr_count(ln(cast(usd_per_mtok as double)), x_days) over w as bigint) as fit_points,
        regr_slope(ln(cast(usd_per_mtok as double)), x_days) over w as slope_per_day,
        regr_sxx(ln(cast(usd_per_mtok as double)), x_days) over w as sxx,
        regr_syy(ln(cast(usd_per_mtok as double)), x_days) over w as syy,
        regr_sxy(ln(cast(usd_per_mtok as double)), x_days) over w as sxy,
        min(day) over w as first_point_day
    from lows
    where is_record_low
    window w as (partition by source_id, benchmark, threshold order by day rows between unbounded preceding and current row)

),

fits_with_error as (

    select
        fits.*,
        case when fit_points >= 3 and sxx > 0
             then sqrt(greatest(syy - sxy * sxy / sxx, 0) / (fit_points - 2) / sxx) end as slope_se,
        coalesce(t.t_975, 1.96)                                                          as t_975
    from fits
    left join {{ ref('student_t_975') }} as t
        on t.df = fits.fit_points - 2

)

select
    lows.source_id                                                      as index_source_id,
    lows.benchmark                                                      as index_benchmark,
    lows.threshold,
    lows.day,
    lows.usd_per_mtok                                                   as cheapest_usd_per_mtok,
    lows.model_id                                                       as cheapest_model_id,
    lows.seller_id                                                      as cheapest_seller_id,
    lows.is_record_low,
    cast(fit.fit_points as integer)                                     as fit_points,
    fit.first_point_day                                                 as fit_first_day,
    case when fit.fit_points >= 2 then exp(-365.25 * fit.slope_per_day) end as annual_decline_factor,
    exp(-365.25 * (fit.slope_per_day + fit.t_975 * fit.slope_se))      as annual_decline_factor_low,
    exp(-365.25 * (fit.slope_per_day - fit.t_975 * fit.slope_se))      as annual_decline_factor_high

from lows
asof left join fits_with_error as fit
    on fit.source_id = lows.source_id and fit.benchmark = lows.benchmark and fit.threshold = lows.threshold
    and lows.day >= fit.day
