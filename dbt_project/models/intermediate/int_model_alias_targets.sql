-- What a seller's alias pointed to, and when, as the seller's own listing states it: DeepSeek's pricing page
-- says `deepseek-chat` is "DeepSeek-V3.2 (Non-thinking Mode)" on the day of each capture. An interval runs
-- from the first capture that states a target to the first capture that states the next one; the first
-- target also covers the time before the first capture (the earliest evidence we hold). A re-point is
-- therefore dated first-seen, by the captures around it, like any change costcurve observes.
-- Sellers whose listings state alias targets: var('alias_listing_sources').
with stated as (

    select distinct
        provider_id                                      as seller_id,
        {{ model_base('model_id') }}                     as alias_base,
        {{ stated_model_base('model_name') }}            as target_base,
        observed_date

    from {{ ref('int_model_attributes_unioned') }}
    where source_id in ({{ sql_string_list(var('alias_listing_sources')) }})

),

changes as (

    select
        *,
        case
            when target_base is distinct from
                lag(target_base) over (partition by seller_id, alias_base order by observed_date) then 1
            else 0
        end as is_new_target

    from stated

),

statements as (

    -- A -> B -> A gives three statements, not two
    select
        seller_id,
        alias_base,
        target_base,
        min(observed_date) as stated_from

    from (
        select *, sum(is_new_target) over (partition by seller_id, alias_base order by observed_date
                                           rows between unbounded preceding and current row) as run_number
        from changes
    ) runs
    group by seller_id, alias_base, target_base, run_number

),

ordered as (

    select
        *,
        row_number() over (partition by seller_id, alias_base order by stated_from) as statement_number,
        lead(stated_from) over (partition by seller_id, alias_base order by stated_from) as next_stated_from

    from statements

)

select
    seller_id,
    alias_base,
    target_base,
    case when statement_number = 1 then null else stated_from end   as valid_from,
    next_stated_from                                                as valid_to,
    stated_from                                                     as first_stated_date

from ordered
