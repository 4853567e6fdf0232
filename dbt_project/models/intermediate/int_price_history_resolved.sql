-- Every source's SCD2 price history (fct_price_history) at canonical sellers and models: the input of
-- fct_market_prices (one best price per series) and mart_source_reconciliation (where sources disagree).
-- Grain: one row per fct_price_history row whose model name resolves (unresolved names stay in
-- fct_price_history and mart_unmatched_model_names).
--   * seller_id: the source's provider id through seeds/seller_aliases.csv;
--   * model_id: int_model_identity's canonical id for the name on the row's first observed day (an alias
--     that re-points starts a new row anyway: the seller's price list shows the new model's price);
--   * valid_to: a point-in-time price (var('point_in_time_price_sources'): a launch price, a dated table
--     entry) holds until the next price any other source shows for the series, or only its own day when
--     none follows, so it never reads as current; every other row keeps its history's valid_to.
{%- set key = ['seller_id', 'model_id', 'token_type', 'service_tier', 'context_band', 'modality', 'currency'] %}

with history as (

    select * from {{ ref('fct_price_history') }}

),

sellers as (

    select * from {{ ref('seller_aliases') }}

),

identity as (

    select * from {{ ref('int_model_identity') }}
    where canonical_model_id is not null

),

resolved as (

    select
        coalesce(sellers.provider_id, history.provider_id)  as seller_id,
        identity.canonical_model_id                         as model_id,
        history.token_type,
        history.service_tier,
        history.context_band,
        history.modality,
        history.currency,
        history.source_id,
        history.price_per_mtok,
        history.usd_per_mtok,
        history.valid_from,
        history.valid_to,
        history.valid_from_basis,
        history.first_observed_date,
        history.last_observed_date,
        history.source_id in ({{ sql_string_list(var('seller_price_sources')) }}) as is_seller_price_list

    from history
    left join sellers
        on history.provider_id = sellers.alias
    inner join identity
        on identity.source_id = history.source_id
        and identity.provider_id = coalesce(sellers.provider_id, history.provider_id)
        and identity.name = history.model_id
        and {{ within_validity('history.first_observed_date', 'identity.valid_from', 'identity.valid_to') }}

)

select
    {% for column in key %}resolved.{{ column }}, {% endfor %}
    resolved.source_id, resolved.price_per_mtok, resolved.usd_per_mtok, resolved.valid_from,
    resolved.valid_from_basis, resolved.first_observed_date, resolved.last_observed_date,
    resolved.is_seller_price_list,
    case
        when resolved.source_id in ({{ sql_string_list(var('point_in_time_price_sources')) }})
            then coalesce(
                (select min(later.valid_from) from resolved as later
                 where {% for column in key %}later.{{ column }} = resolved.{{ column }} and {% endfor %}
                     later.valid_from > resolved.valid_from and later.source_id <> resolved.source_id),
                resolved.valid_from + 1)
        else resolved.valid_to
    end as valid_to

from resolved
