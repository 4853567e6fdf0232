-- The best-known price per seller, canonical model and price dimension, as validity intervals: a row per
-- change, not per day. Built from every source's SCD2 history (fct_price_history), resolved to canonical
-- sellers and models (int_price_history_resolved). Over each stretch of time:
--   * the seller's own price list (var('seller_price_sources'): its pricing page or models API) wins over
--     a stretch it was seen in (its last capture falls on or after the stretch's start), so a stale
--     dataset row never beats the seller's current page; after a seller page's last capture it is one
--     vote among the datasets, so a page that stopped being captured never outvotes a newer change;
--   * otherwise the datasets' consensus: the price most sources agree on (ties: the most recently observed,
--     then the lower price), with how many sources agree and how many list the series at all.
-- A launch price or a dated table entry (var('point_in_time_price_sources')) holds only until the next
-- price any source shows for the series (or its own day, when none follows): it never reads as current
-- (int_price_history_resolved clips it).
-- Adjacent stretches with the same price and basis merge into one row.
{%- set key = ['seller_id', 'model_id', 'token_type', 'service_tier', 'context_band', 'modality', 'currency'] %}
{%- set key_list = key | join(', ') %}

with clipped as (

    -- every source's history at canonical sellers and models, point-in-time prices clipped
    select * from {{ ref('int_price_history_resolved') }}

),

stretches as (

    {{ validity_stretches('clipped', key) }}

),

covering as (

    select
        {% for column in key %}stretches.{{ column }}, {% endfor %}
        stretches.valid_from,
        stretches.valid_to,
        resolved.source_id,
        resolved.price_per_mtok,
        resolved.usd_per_mtok,
        -- authoritative only while captured: a seller page last seen before the stretch is just a vote
        resolved.is_seller_price_list
            and resolved.last_observed_date >= stretches.valid_from as is_seller_price_list,
        resolved.valid_from_basis,
        resolved.valid_from = stretches.valid_from  as starts_here,
        resolved.last_observed_date,
        -- the latest day the source is known to have shown the price inside this stretch (its version's
        -- first or last observation, where one falls inside): a dataset still showing an old price after
        -- the seller's page changed saw it after the stretch, not in it
        case
            when stretches.valid_to is null or resolved.last_observed_date < stretches.valid_to
                then resolved.last_observed_date
            when resolved.first_observed_date >= stretches.valid_from
                and resolved.first_observed_date < stretches.valid_to
                then resolved.first_observed_date
        end                                         as observed_in_stretch

    from stretches
    inner join clipped as resolved
        on {% for column in key %}resolved.{{ column }} = stretches.{{ column }}{% if not loop.last %} and {% endif %}{% endfor %}
        and resolved.valid_from <= stretches.valid_from
        and (resolved.valid_to is null or resolved.valid_to > stretches.valid_from)

),

votes as (

    select
        {{ key_list }},
        valid_from,
        valid_to,
        price_per_mtok,
        max(usd_per_mtok)                                   as usd_per_mtok,
        bool_or(is_seller_price_list)                       as from_seller_price_list,
        count(distinct source_id)                           as sources_agreeing,
        string_agg(distinct source_id, ',' order by source_id) as source_ids,
        -- the change's date basis: a source whose own interval starts here and states it
        min(case when starts_here then valid_from_basis end) as valid_from_basis,
        -- recency breaks a tie between votes; observed_in_stretch is what the row reports
        max(last_observed_date)                             as last_observed_date,
        max(observed_in_stretch)                            as observed_in_stretch

    from covering
    group by {{ key_list }}, valid_from, valid_to, price_per_mtok

),

listing as (

    select {{ key_list }}, valid_from, count(distinct source_id) as sources_listing
    from covering
    group by {{ key_list }}, valid_from

),

chosen as (

    select
        votes.*,
        listing.sources_listing,
        case when votes.from_seller_price_list then 'seller_price_list' else 'dataset_consensus' end as price_basis,
        row_number() over (
            partition by {% for column in key %}votes.{{ column }}, {% endfor %}votes.valid_from
            order by votes.from_seller_price_list desc, votes.sources_agreeing desc,
                     votes.last_observed_date desc, votes.price_per_mtok
        ) as choice_rank

    from votes
    inner join listing
        on {% for column in key %}listing.{{ column }} = votes.{{ column }} and {% endfor %}listing.valid_from = votes.valid_from

),

winners as (

    select * from chosen where choice_rank = 1

),

runs as (

    -- a new row where the price or its basis changes, or after a gap
    {{ adjacent_runs('winners', key, ['price_per_mtok', 'price_basis']) }}

),

merged as (

    select
        {{ key_list }},
        run_number,
        price_per_mtok,
        max(usd_per_mtok)                                   as usd_per_mtok,
        price_basis,
        min(valid_from)                                     as valid_from,
        -- NULL (open) wins over any date
        case when count(valid_to) < count(*) then null else max(valid_to) end as valid_to,
        min(sources_agreeing)                               as sources_agreeing,
        max(sources_listing)                                as sources_listing,
        -- every source that showed the run's price on some stretch of it
        array_to_string(list_sort(list_distinct(flatten(list(string_split(source_ids, ','))))), ',')
                                                            as source_ids,
        max(observed_in_stretch)                            as last_observed_date

    from runs
    group by {{ key_list }}, run_number, price_per_mtok, price_basis

),

dated as (

    -- the basis of the stretch that opens each run
    select merged.*, coalesce(opening.valid_from_basis, 'first_seen') as valid_from_basis
    from merged
    left join chosen as opening
        on {% for column in key %}opening.{{ column }} = merged.{{ column }} and {% endfor %}opening.valid_from = merged.valid_from
        and opening.choice_rank = 1

)

select
    cast({{ surrogate_key(key + ['valid_from']) }} as {{ dbt.type_string() }}) as market_price_id,
    {{ key_list }},
    price_per_mtok,
    usd_per_mtok,
    valid_from,
    valid_to,
    valid_to is null                        as is_current,
    valid_from_basis,
    price_basis,
    cast(sources_agreeing as integer)       as sources_agreeing,
    cast(sources_listing as integer)        as sources_listing,
    source_ids,
    last_observed_date

from dated
