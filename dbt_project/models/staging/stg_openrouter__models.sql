-- Model attributes of the source ids var('model_sources')['openrouter'] lists: renamed and cast only.
{{ stage_model_attributes('openrouter') }}
