-- Model attributes of the source ids var('model_sources')['models_dev'] lists: renamed and cast only.
{{ stage_model_attributes('models_dev') }}
