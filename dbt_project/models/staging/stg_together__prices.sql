-- Price facts of the source ids var('price_sources')['together'] lists: renamed and cast only.
{{ stage_price_facts('together') }}
