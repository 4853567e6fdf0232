-- Discrete fiscal quarters per (company, component, tag), from the classified periods:
--   a discrete 3-month fact filed directly                        -> 'reported' (preferred)
--   otherwise year-to-date differences within one fiscal year:
--     Q2 = H1 - Q1, Q3 = 9M - H1                                  -> 'ytd_difference'
--     Q4 = FY (10-K) - 9M                                          -> 'fy_minus_9m'
-- Q1 is the 3-month year-to-date fact itself, so it is always 'reported'. A quarter whose preceding
-- year-to-date fact is missing is not derived (no guessing). Provenance (accession, filed) is that of
-- the fact ending on the quarter's period_end. Each year-to-date value is its latest-filed one
-- (int_capex_periods_deduplicated); `restated` says whether any fact used was filed with more than
-- one value.
with periods as (

    select * from {{ ref('int_capex_periods_classified') }}
    where fiscal_quarter is not null

),

reported as (

    select
        company,
        cik,
        component,
        tag,
        fiscal_year,
        fiscal_quarter,
        period_start,
        period_end,
        calendar_year,
        calendar_quarter,
        value_usd        as capex_usd,
        'reported'       as derivation,
        accession,
        filed,
        is_restated      as restated,
        1                as priority

    from periods
    where is_discrete_quarter

),

year_to_date as (

    select * from periods
    where ytd_quarters is not null

),

derived as (

    select
        cur.company,
        cur.cik,
        cur.component,
        cur.tag,
        cur.fiscal_year,
        cur.fiscal_quarter,
        cast({{ dbt.dateadd('day', 1, 'prev.period_end') }} as date) as period_start,
        cur.period_end,
        cur.calendar_year,
        cur.calendar_quarter,
        cur.value_usd - prev.value_usd                              as capex_usd,
        case when cur.ytd_quarters = 4 then 'fy_minus_9m' else 'ytd_difference' end
                                                                    as derivation,
        cur.accession,
        cur.filed,
        cur.is_restated or prev.is_restated                         as restated,
        2                                                           as priority

    from year_to_date as cur
    inner join year_to_date as prev
        on  cur.company = prev.company
        and cur.component = prev.component
        and cur.tag = prev.tag
        and cur.fiscal_year = prev.fiscal_year
        and prev.ytd_quarters = cur.ytd_quarters - 1

),

candidates as (

    select * from reported
    union all
    select * from derived

),

ranked as (

    select
        *,
        row_number() over (
            partition by company, component, tag, fiscal_year, fiscal_quarter
            order by priority, filed desc, period_end desc
        ) as candidate_rank

    from candidates

)

select
    company,
    cik,
    component,
    tag,
    fiscal_year,
    fiscal_quarter,
    period_start,
    period_end,
    calendar_year,
    calendar_quarter,
    cast(capex_usd as decimal(20, 2)) as capex_usd,
    derivation,
    accession,
    filed,
    restated

from ranked
where candidate_rank = 1
