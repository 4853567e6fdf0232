-- Like-for-like price change per seller, model and measure (blended 3:1, input, output), the model held
-- constant: its price on the warehouse's latest price day against the same series 30, 90 and 365 days
-- before. change_<n>d_pct = 100 * (price now / price then - 1), NULL when the series had no price then
-- (a model too new to compare is not a decline). One row per series priced on the latest day.
with series as (

    select * from {{ ref('int_price_index_series') }}
    where index_group = 'all'

),

latest as (

    select max(observed_date) as day from {{ ref('int_price_observations_unioned') }}

),

{% set lags = [30, 90, 365] %}
priced as (

    {% for offset in [0] + lags %}
    select series.seller_id, series.model_id, series.measure, {{ offset }} as days_before, series.usd_per_mtok
    from series cross join latest
    where series.valid_from <= latest.day - {{ offset }}
        and (series.valid_to is null or series.valid_to > latest.day - {{ offset }})
    {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

pivoted as (

    select
        seller_id, model_id, measure,
        {% for offset in [0] + lags %}
        max(case when days_before = {{ offset }} then usd_per_mtok end) as usd_{{ offset }}d{% if not loop.last %},{% endif %}
        {% endfor %}
    from priced
    group by all

)

select
    latest.day                                                  as as_of_date,
    pivoted.seller_id,
    pivoted.model_id,
    pivoted.measure,
    models.open_weights,
    models.capability_tier,
    pivoted.usd_0d                                              as usd_per_mtok,
    {% for offset in lags %}
    pivoted.usd_{{ offset }}d                                   as usd_per_mtok_{{ offset }}d_ago,
    100 * (pivoted.usd_0d / pivoted.usd_{{ offset }}d - 1)      as change_{{ offset }}d_pct{% if not loop.last %},{% endif %}
    {% endfor %}

from pivoted
cross join latest
left join {{ ref('dim_models') }} as models
    on models.model_id = pivoted.model_id
where pivoted.usd_0d is not null
