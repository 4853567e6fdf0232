-- Price facts of the source ids var('price_sources')['genai_prices'] lists: renamed and cast only.
{{ stage_price_facts('genai_prices') }}
