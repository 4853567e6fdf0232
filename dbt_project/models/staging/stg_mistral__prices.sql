-- Price facts of the source ids var('price_sources')['mistral'] lists: renamed and cast only.
{{ stage_price_facts('mistral') }}
