-- Price facts of the source ids var('price_sources')['openai'] lists: renamed and cast only.
{{ stage_price_facts('openai') }}
