-- Price facts of the source ids var('price_sources')['minimax'] lists: renamed and cast only.
{{ stage_price_facts('minimax') }}
