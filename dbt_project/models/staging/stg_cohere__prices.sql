-- Price facts of the source ids var('price_sources')['cohere'] lists: renamed and cast only.
{{ stage_price_facts('cohere') }}
