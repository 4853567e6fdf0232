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
{%- set key_columns = price_key_columns() %}
{%- set key = key_columns | join(', ') %}

with observations as (

    select
        {{ key }},
        observed_date,
        fetched_at,
        price_per_mtok,
        usd_per_mtok,
        valid_from as source_valid_from,
        valid_from_basis as source_valid_from_basis

    from {{ ref('fct_price_observations') }}

),

change_flags as (

    select
        *,
        case
            when lag(observed_date) over (partition by {{ key }} order by observed_date) is null then 1
            when price_per_mtok is distinct from
                lag(price_per_mtok) over (partition by {{ key }} order by observed_date) then 1
            when usd_per_mtok is distinct from
                lag(usd_per_mtok) over (partition by {{ key }} order by observed_date) then 1
            else 0
        end as is_new_price

    from observations

),

runs as (

    select
        *,
        sum(is_new_price) over (
            partition by {{ key }}
            order by observed_date
            rows between unbounded preceding and current row
        ) as run_number

    from change_flags

),

islands as (

    select
        {{ key }},
        run_number,
        price_per_mtok,
        usd_per_mtok,
        min(observed_date)     as first_observed_date,
        max(observed_date)     as last_observed_date,
        max(source_valid_from) as source_valid_from,
        -- observations that disagree on the basis take the weaker claim ('first_seen' > 'effective')
        max(source_valid_from_basis) as source_valid_from_basis,
        min(fetched_at)        as first_observed_at,
        max(fetched_at)        as last_observed_at,
        count(*)               as observation_count

    from runs
    group by {{ key }}, run_number, price_per_mtok, usd_per_mtok

),

bounded as (

    select
        *,
        case
            when source_valid_from < first_observed_date
                and (
                    lag(first_observed_date) over (partition by {{ key }} order by run_number) is null
                    or source_valid_from > lag(first_observed_date) over (partition by {{ key }} order by run_number)
                )
                then source_valid_from
            else first_observed_date
        end as valid_from,
        lag(last_observed_date) over (partition by {{ key }} order by run_number) as previous_observed_date

    from islands

),

history as (

    select
        *,
        lead(valid_from) over (partition by {{ key }} order by run_number) as valid_to

    from bounded

)

select
    cast({{ surrogate_key(key_columns + ['valid_from']) }} as {{ dbt.type_string() }}) as price_history_id,
    {{ key }},
    price_per_mtok,
    usd_per_mtok,
    valid_from,
    valid_to,
    valid_to is null                      as is_current,
    case
        when valid_from = source_valid_from and source_valid_from_basis is not null
            then source_valid_from_basis
        else 'first_seen'
    end                                   as valid_from_basis,
    first_observed_date,
    last_observed_date,
    previous_observed_date,
    first_observed_at,
    last_observed_at,
    cast(observation_count as integer)    as observation_count

from history
