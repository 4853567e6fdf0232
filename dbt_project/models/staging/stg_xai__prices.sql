-- Price facts of the source ids var('price_sources')['xai'] lists: renamed and cast only.
{{ stage_price_facts('xai') }}
