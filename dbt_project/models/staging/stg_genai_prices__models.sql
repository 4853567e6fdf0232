-- Model attributes of the source ids var('model_sources')['genai_prices'] lists: renamed and cast only.
{{ stage_model_attributes('genai_prices') }}
