-- Price facts of the source ids var('price_sources')['token_tariff'] lists: renamed and cast only.
{{ stage_price_facts('token_tariff') }}
