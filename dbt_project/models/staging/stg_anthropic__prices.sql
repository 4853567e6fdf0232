-- Price facts of the source ids var('price_sources')['anthropic'] lists: renamed and cast only.
{{ stage_price_facts('anthropic') }}
