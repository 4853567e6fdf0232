-- Price facts of the source ids var('price_sources')['models_dev'] lists: renamed and cast only.
{{ stage_price_facts('models_dev') }}
