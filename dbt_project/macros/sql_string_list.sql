{# Render a list of strings as a SQL IN-list body: ['a', 'b'] -> 'a', 'b'. #}
{% macro sql_string_list(values) -%}
    {%- if values is string -%}{%- set values = [values] -%}{%- endif -%}
    {%- for value in values -%}
        '{{ value | replace("'", "''") }}'{%- if not loop.last -%}, {% endif -%}
    {%- endfor -%}
{%- endmacro %}
