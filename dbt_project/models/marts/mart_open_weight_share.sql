-- Share of served tokens from open-weight models, per day and per ISO week (Monday start), against the
-- question "is open-weight share past var('open_weight_share_threshold') (25%)?".
--
-- Measurement base: tokens routed through OpenRouter (its rankings: the top 50 model variants of each
-- UTC day plus one `other` row for the rest). OpenRouter's traffic is not all traffic: the number is the
-- share on OpenRouter, never the market's.
--
-- Each usage day is taken from the latest capture that holds it (by fetched_at, then partition day): a
-- capture holds its trailing 30 days and later captures restate them, so every (usage_date,
-- source_model_id) counts once. The whole day comes from that one capture, so a model that drops out of
-- the top 50 in a restatement is not counted twice (its old row and the new `other`).
--
-- Each named row resolves through int_model_identity (source openrouter_rankings, seller openrouter,
-- name = the row's model_id) to dim_models.open_weights. A `:free` variant and its base have the same
-- model_id, so their tokens add up under one model. Status per row:
--   open     open_weights TRUE          closed   open_weights FALSE
--   unknown  a named model whose open_weights is NULL (or whose name no identity rule resolves)
--   other    OpenRouter's `other` row (the long tail beyond the top 50: not a model)
-- Formulas per period (sums of tokens over its days):
--   share_point = open / (open + closed)                  the share among tokens of known status
--   share_lower = open / total                            unknown and other counted closed
--   share_upper = (open + unknown + other) / total        unknown and other counted open
--   known_status_share = (open + closed) / (open + closed + unknown)   coverage of the named tokens
-- share_lower <= share_point <= share_upper always holds (the point drops the uncertain tokens from both
-- sides). threshold_verdict: `above` when share_lower > threshold, `below` when share_upper <= threshold,
-- else `undetermined` (the uncertain tokens could put it on either side).
{%- set threshold = var('open_weight_share_threshold', 0.25) %}

with usage as (

    select * from {{ ref('stg_openrouter_rankings__usage') }}

),

captures_of_day as (

    select
        usage_date,
        observed_date,
        fetched_at,
        row_number() over (partition by usage_date order by fetched_at desc, observed_date desc) as capture_rank

    from (select distinct usage_date, observed_date, fetched_at from usage) captures

),

latest as (

    select usage.*
    from usage
    inner join captures_of_day
        on captures_of_day.usage_date = usage.usage_date
        and captures_of_day.observed_date = usage.observed_date
        and captures_of_day.fetched_at = usage.fetched_at
        and captures_of_day.capture_rank = 1

),

identity as (

    select * from {{ ref('int_model_identity') }}
    where source_id = 'openrouter_rankings' and provider_id = 'openrouter'

),

models as (

    select * from {{ ref('dim_models') }}

),

classified as (

    select
        latest.usage_date,
        latest.source_model_id,
        latest.total_tokens,
        latest.as_of,
        latest.citation,
        -- a name no rule resolves is still one model: count it by its own name
        case when latest.model_id <> 'other' then coalesce(identity.canonical_model_id, 'unresolved:' || latest.model_id) end
            as model_key,
        case
            when latest.model_id = 'other' then 'other'
            when models.open_weights then 'open'
            when not models.open_weights then 'closed'
            else 'unknown'
        end as weights_status

    from latest
    left join identity
        on latest.model_id <> 'other'
        and identity.name = latest.model_id
        and {{ within_validity('latest.usage_date', 'identity.valid_from', 'identity.valid_to') }}
    left join models
        on models.model_id = identity.canonical_model_id

),

periods as (

    select 'day' as period_grain, usage_date as period_start, classified.*
    from classified

    union all

    select 'week', cast({{ dbt.date_trunc('week', 'usage_date') }} as date), classified.*
    from classified

),

summed as (

    select
        period_grain,
        period_start,
        count(distinct usage_date)                                                   as days_covered,
        sum(total_tokens)                                                            as total_tokens,
        sum(case when weights_status = 'open' then total_tokens else 0 end)          as open_weight_tokens,
        sum(case when weights_status = 'closed' then total_tokens else 0 end)        as closed_tokens,
        sum(case when weights_status = 'unknown' then total_tokens else 0 end)       as unknown_tokens,
        sum(case when weights_status = 'other' then total_tokens else 0 end)         as other_tokens,
        count(distinct case when weights_status = 'open' then model_key end)         as open_weight_models,
        count(distinct case when weights_status = 'closed' then model_key end)       as closed_models,
        count(distinct case when weights_status = 'unknown' then model_key end)      as unknown_models,
        max(as_of)                                                                   as as_of

    from periods
    group by period_grain, period_start

),

cited as (

    -- the citation of the latest capture used in the period (the one whose as_of the period shows)
    select distinct period_grain, period_start, as_of, citation
    from periods

),

shares as (

    select
        summed.*,
        cited.citation,
        cast(open_weight_tokens as double)                                          as open_d,
        cast(open_weight_tokens + closed_tokens as double)                          as known_d,
        cast(open_weight_tokens + closed_tokens + unknown_tokens as double)         as named_d,
        cast(total_tokens as double)                                                as total_d

    from summed
    inner join cited
        on cited.period_grain = summed.period_grain
        and cited.period_start = summed.period_start
        and cited.as_of = summed.as_of

),

computed as (

    select
        *,
        case when known_d > 0 then open_d / known_d end                             as point_d,
        case when total_d > 0 then open_d / total_d end                             as lower_d,
        case when total_d > 0
            then cast(open_weight_tokens + unknown_tokens + other_tokens as double) / total_d end as upper_d

    from shares

)

select
    'openrouter: tokens routed through OpenRouter (top 50 models per day + other)'  as measurement_base,
    'openrouter_rankings'                                                           as source_id,
    period_grain,
    period_start,
    case when period_grain = 'day' then period_start
         else cast({{ dbt.dateadd('day', 6, 'period_start') }} as date) end            as period_end,
    cast(days_covered as integer)                                                   as days_covered,
    period_grain = 'week' and days_covered < 7                                      as is_partial,
    cast(total_tokens as bigint)                                                    as total_tokens,
    cast(open_weight_tokens as bigint)                                              as open_weight_tokens,
    cast(closed_tokens as bigint)                                                   as closed_tokens,
    cast(unknown_tokens as bigint)                                                  as unknown_tokens,
    cast(other_tokens as bigint)                                                    as other_tokens,
    cast(round(point_d, 6) as decimal(7, 6))                                        as share_point,
    cast(round(lower_d, 6) as decimal(7, 6))                                        as share_lower,
    cast(round(upper_d, 6) as decimal(7, 6))                                        as share_upper,
    cast(case when named_d > 0 then round((known_d / named_d), 6) end as decimal(7, 6)) as known_status_share,
    cast({{ threshold }} as decimal(7, 6))                                          as threshold,
    case
        when lower_d > {{ threshold }} then 'above'
        when upper_d <= {{ threshold }} then 'below'
        else 'undetermined'
    end                                                                             as threshold_verdict,
    cast(open_weight_models as integer)                                             as open_weight_models,
    cast(closed_models as integer)                                                  as closed_models,
    cast(unknown_models as integer)                                                 as unknown_models,
    as_of,
    citation

from computed
