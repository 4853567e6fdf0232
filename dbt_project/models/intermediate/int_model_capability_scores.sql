-- Capability scores at canonical models: one row per (model, index) from the latest capture of each
-- capability source (var('capability_sources')), the index being (source_id, benchmark). The model name
-- resolves through int_model_identity like any other (the score source stands as the seller); a name that
-- resolves to nothing is listed in mart_unmatched_model_names, never tiered by guess.
with scores as (

    select * from {{ ref('int_capability_scores_unioned') }}

),

identity as (

    select * from {{ ref('int_model_identity') }}
    where canonical_model_id is not null

),

resolved as (

    select
        identity.canonical_model_id                     as model_id,
        scores.source_id,
        scores.benchmark,
        scores.benchmark_version,
        scores.score,
        scores.scale,
        scores.as_of,
        scores.release_date,
        scores.model_id                                 as source_model_name,
        scores.citation,
        scores.observed_date,
        row_number() over (
            partition by identity.canonical_model_id, scores.source_id, scores.benchmark
            order by scores.observed_date desc, scores.as_of desc nulls last, scores.score desc
        )                                               as score_rank

    from scores
    inner join identity
        on identity.source_id = scores.source_id
        and identity.provider_id = scores.source_id
        and identity.name = scores.model_id

)

select
    model_id, source_id, benchmark, benchmark_version, score, scale, as_of, release_date,
    source_model_name, citation, observed_date

from resolved
where score_rank = 1
