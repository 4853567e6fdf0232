-- Price facts of the source ids var('price_sources')['epoch_benchmarks'] lists: renamed and cast only.
{{ stage_price_facts('epoch_benchmarks') }}
