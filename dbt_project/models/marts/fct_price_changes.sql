-- Every change of a market price (fct_market_prices): the row that follows another of the same seller,
-- model and dimension without a gap, at a different price. A change of basis alone (a seller's page
-- starts covering what datasets reported, at the same price) is not a price change.
{%- set key = ['seller_id', 'model_id', 'token_type', 'service_tier', 'context_band', 'modality', 'currency'] %}
with prices as (

    select
        *,
        lag(price_per_mtok) over w  as old_price_per_mtok,
        lag(usd_per_mtok) over w    as old_usd_per_mtok,
        lag(valid_to) over w        as previous_valid_to,
        lag(last_observed_date) over w as old_last_observed_date

    from {{ ref('fct_market_prices') }}
    window w as (partition by {{ key | join(', ') }} order by valid_from)

)

select
    cast({{ surrogate_key(key + ['valid_from']) }} as {{ dbt.type_string() }}) as price_change_id,
    {{ key | join(', ') }},
    old_price_per_mtok,
    price_per_mtok                                          as new_price_per_mtok,
    old_usd_per_mtok,
    usd_per_mtok                                            as new_usd_per_mtok,
    case
        when old_price_per_mtok > 0
            then cast(round(100 * (price_per_mtok - old_price_per_mtok) / old_price_per_mtok, 4) as decimal(18, 4))
    end                                                     as change_pct,
    valid_from                                              as effective_date,
    valid_from_basis                                        as effective_date_basis,
    old_last_observed_date,
    price_basis,
    source_ids

from prices
where previous_valid_to = valid_from
    and price_per_mtok <> old_price_per_mtok
