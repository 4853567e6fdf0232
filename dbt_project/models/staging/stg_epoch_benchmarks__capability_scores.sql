-- Capability scores of the source ids var('capability_sources')['epoch_benchmarks'] lists: renamed and cast only.
{{ stage_capability_scores('epoch_benchmarks') }}
