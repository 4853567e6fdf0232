-- The name-size rule (a parameter count in the name at most var('capability_small_max_params_b') billion is
-- small at every date) must agree with every index that scores such a model: any scored model of that size
-- tiered above small by an index on any date is a counterexample, and the rule's threshold is wrong.
select tiers.model_id, tiers.valid_from, tiers.capability_tier, tiers.index_benchmark, tiers.score_ratio
from {{ ref('dim_model_capability_tiers') }} as tiers
where tiers.tier_basis = 'index'
    and tiers.capability_tier <> 'small'
    and regexp_matches(split_part(tiers.model_id, '/', 2), '(^|-)([0-9]+(\.[0-9]+)?)b(-|$)')
    and cast(regexp_extract(split_part(tiers.model_id, '/', 2), '(^|-)([0-9]+(\.[0-9]+)?)b(-|$)', 2) as double)
        <= {{ var('capability_small_max_params_b') }}
