{#
  price_asof(seller, model, token_type, service_tier, ts): what a market price (fct_market_prices) was at a
  moment, as a DuckDB macro kept in the warehouse file, so the published copy answers it too:

      select price_asof('anthropic', 'anthropic/claude-haiku-3.5', 'input', 'standard', date '2025-03-01')

  The price is USD per 1M tokens of the series with no context band (`all`), text modality and USD
  currency, in force on the day of ts (UTC): valid_from <= day < valid_to, so on a change's own date it is
  the new price. NULL when no such price was known. Created after every dbt run (on-run-end).
#}
{% macro create_price_asof() %}
{#- a run that did not build fct_market_prices (a selection such as +fct_capex_quarterly) leaves the macro as it was -#}
{%- if execute and adapter.get_relation(database=target.database, schema=target.schema, identifier='fct_market_prices') is none -%}
select 1
{%- else -%}
create or replace macro {{ target.schema }}.price_asof(p_seller, p_model, p_token_type, p_service_tier, p_ts) as (
    select usd_per_mtok
    from {{ target.schema }}.fct_market_prices
    where seller_id = p_seller
        and model_id = p_model
        and token_type = p_token_type
        and service_tier = p_service_tier
        and context_band = 'all'
        and modality = 'text'
        and currency = 'USD'
        and valid_from <= cast(p_ts as date)
        and (valid_to is null or cast(p_ts as date) < valid_to)
)
{%- endif %}
{% endmacro %}
