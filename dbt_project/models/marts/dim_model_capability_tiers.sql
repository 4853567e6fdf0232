-- Each canonical model's capability tier over time, as validity intervals [valid_from, valid_to): what
-- was frontier in 2024 is not frontier in 2026. A row per change of tier, never per day.
--
-- From an index (var('capability_tier_indices'), first that scores the model wins on each day):
--   ratio = the model's score / the best score of any model released on or before the day, same index;
--   frontier: ratio >= var('capability_tier_frontier_ratio') (0.85); mid: >= var('capability_tier_mid_ratio')
--   (0.5); else small. The tier holds from the model's release date (the index's own) and can change only
--   when a better model is released; it ends var('capability_index_stale_days') (180) after the index's
--   latest as_of, since an index that stopped updating misses the models released after it.
-- From the name, for a model no index tiers on a day: a parameter count stated in the name of at most
--   var('capability_small_max_params_b') (4) billion is small at every date (tier_basis `name_size`).
-- A model with neither has no row: capability_tier unknown, never guessed.
{%- set indices = var('capability_tier_indices') %}
with scores as (

    select * from {{ ref('int_model_capability_scores') }}

),

indexed as (

    {% for index in indices %}
    select
        {{ loop.index }}                            as index_precedence,
        model_id, source_id, benchmark, benchmark_version, score, release_date, as_of
    from scores
    where source_id = '{{ index.source_id }}' and benchmark = '{{ index.benchmark }}'
        and release_date is not null and score > 0
    {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

index_window as (

    -- the last day an index tiers anything: its latest as_of plus the staleness window
    select index_precedence, max(as_of) + {{ var('capability_index_stale_days') }} as tiers_until
    from indexed
    group by index_precedence

),

best_so_far as (

    -- each release date of an index and the best score released by then
    select
        index_precedence,
        release_date                                as day,
        max(max(score)) over (partition by index_precedence order by release_date
                              rows between unbounded preceding and current row) as best_score

    from indexed
    group by index_precedence, release_date

),

record_days as (

    -- the days the best score rises: the only days a tier can change
    select index_precedence, day, best_score
    from (
        select *, lag(best_score) over (partition by index_precedence order by day) as previous_best
        from best_so_far
    )
    where previous_best is null or best_score > previous_best

),

model_days as (

    -- a model's release day and every later record day, with the best score in force from then
    select
        indexed.index_precedence, indexed.model_id, indexed.source_id, indexed.benchmark,
        indexed.benchmark_version, indexed.score, record_days.day, record_days.best_score
    from indexed
    inner join record_days
        on record_days.index_precedence = indexed.index_precedence and record_days.day > indexed.release_date

    union all

    -- the release day itself: best_so_far has a row for every release date of the index
    select
        indexed.index_precedence, indexed.model_id, indexed.source_id, indexed.benchmark,
        indexed.benchmark_version, indexed.score, indexed.release_date, at_release.best_score
    from indexed
    inner join best_so_far as at_release
        on at_release.index_precedence = indexed.index_precedence and at_release.day = indexed.release_date

),

index_tiers as (

    select
        model_days.*,
        model_days.score / model_days.best_score    as score_ratio,
        case
            when model_days.score / model_days.best_score >= {{ var('capability_tier_frontier_ratio') }} then 'frontier'
            when model_days.score / model_days.best_score >= {{ var('capability_tier_mid_ratio') }} then 'mid'
            else 'small'
        end                                         as capability_tier,
        index_window.tiers_until

    from model_days
    inner join index_window
        on index_window.index_precedence = model_days.index_precedence
    where model_days.day < index_window.tiers_until

),

index_intervals as (

    select
        *,
        coalesce(lead(day) over (partition by index_precedence, model_id order by day), tiers_until) as day_to
    from index_tiers

),

sized as (

    -- a parameter count stated in the canonical name: `llama-3.1-8b-instruct` -> 8, `qwen3-0.6b` -> 0.6
    select
        model_id,
        cast(regexp_extract(split_part(model_id, '/', 2), '(^|-)([0-9]+(\.[0-9]+)?)b(-|$)', 2) as double) as params_b
    from (select distinct canonical_model_id as model_id from {{ ref('int_model_identity') }}
          where canonical_model_id is not null)
    where regexp_matches(split_part(model_id, '/', 2), '(^|-)([0-9]+(\.[0-9]+)?)b(-|$)')

),

claims as (

    -- every tier claim as an interval: index claims by precedence, the name rule last
    select
        model_id, index_precedence as precedence, day as valid_from, day_to as valid_to, capability_tier,
        'index' as tier_basis, source_id, benchmark, benchmark_version, score, best_score, score_ratio
    from index_intervals

    union all

    -- from the start of time (reported as NULL): the rule holds at every date
    select
        model_id, 1000, date '1900-01-01', cast(null as date), 'small',
        'name_size', null, null, null, null, null, null
    from sized
    where params_b <= {{ var('capability_small_max_params_b') }}

),

stretches as (

    {{ validity_stretches('claims', ['model_id']) }}

),

chosen as (

    select
        stretches.model_id, stretches.valid_from, stretches.valid_to,
        claims.capability_tier, claims.tier_basis, claims.source_id, claims.benchmark,
        claims.benchmark_version, claims.score, claims.best_score, claims.score_ratio,
        row_number() over (partition by stretches.model_id, stretches.valid_from
                           order by claims.precedence) as claim_rank

    from stretches
    inner join claims
        on claims.model_id = stretches.model_id
        and claims.valid_from <= stretches.valid_from
        and (claims.valid_to is null or claims.valid_to > stretches.valid_from)

),

winners as (

    select * from chosen where claim_rank = 1

),

runs as (

    -- a new row where the tier, its basis or its index changes, or after a gap
    {{ adjacent_runs('winners', ['model_id'], ['capability_tier', 'tier_basis', 'source_id']) }}

)

select
    model_id,
    nullif(min(valid_from), date '1900-01-01')              as valid_from,
    case when count(valid_to) < count(*) then null else max(valid_to) end as valid_to,
    capability_tier,
    tier_basis,
    source_id                                               as index_source_id,
    benchmark                                               as index_benchmark,
    max(benchmark_version)                                  as index_version,
    max(score)                                              as score,
    -- the best score in force at the start of the stretch and the ratio then (the tier's evidence)
    arg_min(best_score, valid_from)                         as best_score,
    arg_min(score_ratio, valid_from)                        as score_ratio

from runs
group by model_id, run_number, capability_tier, tier_basis, source_id, benchmark
