-- Price facts of the source ids var('price_sources')['gemini'] lists: renamed and cast only.
{{ stage_price_facts('gemini') }}
