-- Price facts of the source ids var('price_sources')['deepseek'] lists: renamed and cast only.
{{ stage_price_facts('deepseek') }}
