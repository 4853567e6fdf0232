-- Price facts of the source ids var('price_sources')['perplexity'] lists: renamed and cast only.
{{ stage_price_facts('perplexity') }}
