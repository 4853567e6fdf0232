-- Model attributes of the source ids var('model_sources')['together'] lists: renamed and cast only.
{{ stage_model_attributes('together') }}
