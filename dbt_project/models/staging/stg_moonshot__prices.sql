-- Price facts of the source ids var('price_sources')['moonshot'] lists: renamed and cast only.
{{ stage_price_facts('moonshot') }}
