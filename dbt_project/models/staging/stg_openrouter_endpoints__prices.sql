-- Price facts of the source ids var('price_sources')['openrouter_endpoints'] lists: renamed and cast only.
{{ stage_price_facts('openrouter_endpoints') }}
