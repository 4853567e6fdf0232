-- Price facts of the source ids var('price_sources')['litellm'] lists: renamed and cast only.
{{ stage_price_facts('litellm') }}
