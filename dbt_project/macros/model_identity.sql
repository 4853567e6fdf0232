{#
  The deterministic half of model identity (the curated half is seeds/model_crosswalk.csv): every name a
  source uses for a model -> its author (if the name carries one) and a normalised base name. Used by
  int_model_identity only, so the rules live in one place. Each step, in order:

  route   lowercase, trimmed, blanks and underscores as hyphens, a parenthesis as a suffix (Epoch's
          `gpt-3 175b (davinci)` -> `gpt-3-175b-davinci`); drops routing that is not part of the model's name: Fireworks
          `accounts/<org>/models/` paths, Bedrock region prefixes (`us.`, `eu-west-1/`, `us-gov-east-1/`),
          Cloudflare's `@cf/`, OpenRouter's `~` (latest-of-family) marker.
  author  the path segment before the base (`meta-llama/llama-3.3-70b-instruct` -> `meta-llama`), or a
          Bedrock vendor prefix (`anthropic.claude-...` -> `anthropic`); NULL when the name has neither.
  base    the last path segment, a `+` spelled `-plus` (Epoch's `Command R+` is `command-r-plus`, as
          genai-prices names it), without: a Bedrock vendor prefix (DeepSeek's `deepseek.v3`/`deepseek.r1`
          keep the family: `deepseek-v3`); routing variants `:free :beta :nitro :floor :online`
          (OpenRouter's `:free`/`:batch` are service tiers already); Bedrock's version suffix (`-v1:0`;
          a bare `-v1` only on a vendor-prefixed Bedrock id: elsewhere `-v3` is the model's own version,
          `deepseek-v3` is not `deepseek`);
          Anthropic-style 8-digit snapshot dates (`-20241022`, `@20241022`), which alias the undated model
          (OpenAI's `-2024-05-13` and Gemini's `-09-2025` are kept: those sellers price them apart), and
          `-latest` (an undated name and its `-latest` alias name the same moving target). Then
          version digits are dotted (`claude-3-5-haiku` -> `claude-3.5-haiku`: a single digit between
          hyphens, so `gemma-3-12b` stays; Fireworks' `qwen2p5-7b` -> `qwen2.5-7b`), `llama3` becomes `llama-3`, a glued `openai-gpt-...` or
          `databricks-claude-...` loses the glued seller or creator (likewise a creator glued to its own family:
          `cohere-command-light`, Cerebras' `zai-glm-4.6`, `moonshotai-kimi-k2-instruct`, `nvidia-nemotron-nano-9b-v2`),
          `code-llama-7b` becomes `codellama-7b` (the spelling of the `codellama` author and family rows), `meta-llama-3.1-...` becomes `llama-3.1-...`, and Claude 3.x names take the
          family-first order Anthropic uses since Claude 4 (`claude-3.5-haiku` -> `claude-haiku-3.5`).
#}

{% macro model_route(name) -%}
regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(lower(trim({{ name }})),
    '\s*\(([^)]*)\)', '-\1', 'g'),
    '[\s_]+', '-', 'g'),
    '^accounts/[^/]+/(models|routers)/', ''),
    '^(us|eu|apac|global|jp|au|us-gov|regional)\.', ''),
    '^(us-gov-[a-z]+-[0-9]|[a-z]{2}-[a-z]+-[0-9]|us|eu|apac|global|regional)/', ''),
    '^@cf/|~', '', 'g')
{%- endmacro %}

{% macro model_author(name) -%}
case
    when {{ model_route(name) }} like '%/%'
        then regexp_extract({{ model_route(name) }}, '([^/]+)/[^/]+$', 1)
    when regexp_matches({{ model_route(name) }}, '^(anthropic|meta|amazon|mistral|cohere|ai21|deepseek|qwen|openai|writer|xai|twelvelabs|moonshotai|minimax|zai|google|moonshot)\.')
        then regexp_extract({{ model_route(name) }}, '^([a-z0-9]+)\.', 1)
end
{%- endmacro %}

{% macro model_base(name) -%}
regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(
    regexp_replace({{ model_route(name) }}, '^.*/', ''),
    '\+', '-plus', 'g'),
    '^((anthropic|meta|amazon|mistral|cohere|ai21|deepseek|qwen|openai|writer|xai|twelvelabs|moonshotai|minimax|zai|google|moonshot)\..*)-v[0-9]+(:[0-9]+)?$', '\1'),
    '^deepseek\.([rv][0-9])', 'deepseek-\1'),
    '^(anthropic|meta|amazon|mistral|cohere|ai21|deepseek|qwen|openai|writer|xai|twelvelabs|moonshotai|minimax|zai|google|moonshot)\.', ''),
    ':(free|beta|nitro|floor|online)$', ''),
    '-v[0-9]+:[0-9]+$', ''),
    '[-@][0-9]{8}$', ''),
    '-latest$', ''),
    '([0-9])-([0-9])(-|$)', '\1.\2\3', 'g'),
    '([0-9])p([0-9])', '\1.\2', 'g'),
    '^llama([0-9])', 'llama-\1'),
    '^(openai-|databricks-)(gpt|o[0-9]|claude|llama|gemini|gemma)', '\2'),
    '^(cohere|zai|moonshotai|nvidia)-(command|glm|kimi|nemotron)', '\2'),
    '^code-llama-', 'codellama-'),
    '^meta-llama-', 'llama-'),
    '^claude-([0-9]+(\.[0-9]+)?)-(opus|sonnet|haiku)', 'claude-\3-\1')
{%- endmacro %}

{#- A model name a listing states for an alias ("DeepSeek-V3.2 (Non-thinking Mode)") as a base name. #}
{% macro stated_model_base(model_name) -%}
regexp_replace(regexp_replace(regexp_replace(lower(trim({{ model_name }})),
    '\s*\(non-thinking mode\)$', ''),
    '\s*\(thinking mode\)$', '-thinking'),
    '\s+', '-', 'g')
{%- endmacro %}
