{# The natural key of a price series: one price per (source, seller, model, token type, tier, band, modality,
   currency): some pages publish the same price in two currencies (Mistral: USD and EUR). #}
{% macro price_key_columns() -%}
    {{ return(['source_id', 'provider_id', 'model_id', 'token_type', 'service_tier', 'context_band', 'modality', 'currency']) }}
{%- endmacro %}
