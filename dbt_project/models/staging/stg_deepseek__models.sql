-- Model attributes of the source ids var('model_sources')['deepseek'] lists: renamed and cast only.
{{ stage_model_attributes('deepseek') }}
