-- Price facts of the source ids var('price_sources')['fireworks'] lists: renamed and cast only.
{{ stage_price_facts('fireworks') }}
