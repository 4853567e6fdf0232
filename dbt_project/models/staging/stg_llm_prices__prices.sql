-- Price facts of the source ids var('price_sources')['llm_prices'] lists: renamed and cast only.
{{ stage_price_facts('llm_prices') }}
