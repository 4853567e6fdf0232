-- Model attributes of the source ids var('model_sources')['epoch_notable_models'] lists: renamed and cast only.
{{ stage_model_attributes('epoch_notable_models') }}
