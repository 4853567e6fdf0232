-- SCD2 price history: one row per run of equal prices of one price series (source, seller, model,
-- token type, tier, context band, modality, currency). A new row starts ONLY when the price changes between
-- consecutive observed days (gaps-and-islands); A -> B -> A gives three rows. Days without an
-- observation do not break a run.
--
-- valid_from: the first observed day of the run, or the source's own valid_from when it is earlier
--             (but never on or before the previous run's first observed day, so runs never overlap)
-- valid_to:   exclusive; the next run's valid_from, NULL while the price is current
-- valid_from_basis: 'effective' or 'first_seen' as the source states it when valid_from is the source's
--             date; 'first_seen' when it is only the first day we observed the price. A first-seen change
--             happened after previous_observed_date (the last day the old price was seen) and on or
--             before first_observed_date: the dates of the captures around it.
--
-- Incremental (macros/incremental_history.sql): a build touches only the series with observations on the
-- days fct_price_observations wrote since the last history build. A series whose new days all come after
-- its last observed day extends or closes its open run from the stored row alone; a series with a new or
-- lost observation inside or before its stored runs (a backfill, a re-loaded day) is rebuilt from all its
-- observations. Both paths run the same macros as the full build (macros/price_history_runs.sql).
{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key=price_key_columns(),
    on_schema_change='append_new_columns',
    pre_hook=[before_begin("{{ add_contract_columns() }}"), "{{ prepare_history_build() }}"],
    post_hook="{{ finish_history_build() }}",
) }}
{%- set key = price_key_columns() | join(', ') %}

{%- if is_incremental() and not history_needs_full_build() %}
{%- set days = date_literals(history_pending_days()) %}
{%- set rebuilt_count = history_rebuilt_series_count() %}

with new_observations as (

    {{ price_history_observations("observed_date in (" ~ days ~ ")") }}

),

rebuilt_series as (

    select * from {{ history_state('recompute') }}

),

appended_series as (

    select distinct {{ key }} from new_observations
    anti join rebuilt_series using ({{ key }})

),

stored as (

    select * from {{ this }}
    semi join appended_series using ({{ key }})

),

earlier as (

    -- per series, the stored run before its open one: what the open run's valid_from is bounded by
    select
        {{ key }},
        max_by(first_observed_date, valid_from) as previous_first_observed_date,
        max_by(last_observed_date, valid_from)  as previous_last_observed_date
    from stored
    where valid_to is not null
    group by {{ key }}

),

open_runs_and_new_days as (

    select
        {{ key }}, last_observed_date as sort_date, price_per_mtok, usd_per_mtok, first_observed_date,
        last_observed_date, first_observed_at, last_observed_at, source_valid_from, source_valid_from_basis,
        observation_count
    from stored
    where valid_to is null

    union all

    select * from new_observations
    semi join appended_series using ({{ key }})

),

appended_islands as (

    {{ price_history_islands('open_runs_and_new_days') }}

),

appended as (

    {{ price_history_bounded('appended_islands', 'earlier') }}

),

closed_runs as (

    select
        {{ key }}, price_per_mtok, usd_per_mtok, first_observed_date, last_observed_date, source_valid_from,
        source_valid_from_basis, first_observed_at, last_observed_at, observation_count, valid_from,
        previous_observed_date
    from stored
    where valid_to is not null

),

{%- if rebuilt_count > 0 %}

rebuilt_observations as (

    select * from ({{ price_history_observations() }}) observations
    semi join rebuilt_series using ({{ key }})

),

rebuilt_islands as (

    {{ price_history_islands('rebuilt_observations') }}

),

rebuilt as (

    {{ price_history_bounded('rebuilt_islands') }}

),
{%- endif %}

bounded as (

    select * exclude (run_number) from appended
    union all by name
    select * from closed_runs
    {%- if rebuilt_count > 0 %}
    union all by name
    select * exclude (run_number) from rebuilt
    {%- endif %}

)

{%- else %}

with observations as (

    {{ price_history_observations() }}

),

islands as (

    {{ price_history_islands('observations') }}

),

bounded as (

    {{ price_history_bounded('islands') }}

)

{%- endif %}

{{ price_history_rows('bounded') }}
