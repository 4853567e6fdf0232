-- No two rows of one price series overlap in time, every interval is non-empty, and each series has
-- exactly one open (current) row. Returns the offending rows.
{%- set key = price_key_columns() %}

with history as (

    select * from {{ ref('fct_price_history') }}

),

overlapping_rows as (

    select
        a.price_history_id,
        'overlaps ' || b.price_history_id as problem

    from history as a
    inner join history as b
        on  {% for column in key %}a.{{ column }} = b.{{ column }}{% if not loop.last %}
        and {% endif %}{% endfor %}
        and a.price_history_id < b.price_history_id
        and a.valid_from < coalesce(b.valid_to, cast('9999-12-31' as date))
        and b.valid_from < coalesce(a.valid_to, cast('9999-12-31' as date))

),

empty_intervals as (

    select price_history_id, 'valid_to is not after valid_from' as problem
    from history
    where valid_to is not null and valid_to <= valid_from

),

open_rows as (

    select
        min(price_history_id)                                   as price_history_id,
        'series has ' || cast(count(*) as {{ dbt.type_string() }}) || ' current rows' as problem

    from history
    where is_current
    group by {{ key | join(', ') }}
    having count(*) <> 1

),

series_without_current as (

    select
        min(price_history_id) as price_history_id,
        'series has no current row' as problem

    from history
    group by {{ key | join(', ') }}
    having sum(case when is_current then 1 else 0 end) = 0

)

select * from overlapping_rows
union all
select * from empty_intervals
union all
select * from open_rows
union all
select * from series_without_current
