-- Capability scores of the source ids var('capability_sources')['token_tariff'] lists: renamed and cast only.
{{ stage_capability_scores('token_tariff') }}
