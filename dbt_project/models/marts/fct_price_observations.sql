-- Every observed price fact, long format, one row per price series and observed day, with provenance.
-- A source that captured the same series twice in one day keeps the latest capture (fetched_at). If
-- one capture lists a series twice (a current price and an announced future one), the price in
-- effect on the observed day wins; the raw table keeps both.
-- seller_id and canonical_model_id are the identity (int_model_identity): the canonical seller, and the
-- model the name meant on the observed day (NULL when no rule resolves it: mart_unmatched_model_names).
-- Incremental by observed day (macros/incremental_observations.sql): a build rewrites the days loaded
-- since the previous one and leaves every other day as it was.
{{ config(
    materialized='incremental',
    incremental_strategy='append',
    on_schema_change='append_new_columns',
    pre_hook=[before_begin("{{ add_contract_columns() }}"), "{{ prepare_observation_build() }}"],
    post_hook="{{ refresh_observation_identity() }}",
) }}
{%- set key_columns = price_key_columns() %}

with observations as (

    select * from {{ ref('int_price_observations_unioned') }}
    {%- if is_incremental() %}
    -- literals, not a subquery: DuckDB then skips the row groups of every other day in the raw scan
    where observed_date in ({{ date_literals(observation_build_days()) }})
    {%- endif %}

),

ranked as (

    select
        *,
        row_number() over (
            partition by {{ key_columns | join(', ') }}, observed_date
            order by
                fetched_at desc,
                case when valid_from is null or valid_from <= observed_date then 0 else 1 end,
                valid_from desc nulls last,
                raw_sha256 desc
        ) as capture_rank

    from observations

),

deduplicated as (

    select * from ranked where capture_rank = 1

),

sellers as (

    select * from {{ ref('seller_aliases') }}

),

identity as (

    select * from {{ ref('int_model_identity') }}

),

resolved as (

    select
        deduplicated.*,
        coalesce(sellers.provider_id, deduplicated.provider_id) as seller_id,
        identity.canonical_model_id

    from deduplicated
    left join sellers
        on deduplicated.provider_id = sellers.alias
    left join identity
        on identity.source_id = deduplicated.source_id
        and identity.provider_id = coalesce(sellers.provider_id, deduplicated.provider_id)
        and identity.name = deduplicated.model_id
        and {{ within_validity('deduplicated.observed_date', 'identity.valid_from', 'identity.valid_to') }}

)

select
    cast({{ surrogate_key(key_columns + ['observed_date']) }} as {{ dbt.type_string() }}) as observation_id,
    observed_date,
    fetched_at,
    source_id,
    source_url,
    raw_sha256,
    parser_version,
    provider_id,
    model_id,
    model_name,
    token_type,
    service_tier,
    context_band,
    modality,
    currency,
    price_per_mtok,
    usd_per_mtok,
    unit_as_published,
    raw_value,
    valid_from,
    valid_to,
    valid_from_basis,
    seller_id,
    canonical_model_id,
    loaded_at

from resolved
