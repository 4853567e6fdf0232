-- Price facts of the source ids var('price_sources')['groq'] lists: renamed and cast only.
{{ stage_price_facts('groq') }}
