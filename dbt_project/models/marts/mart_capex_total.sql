-- The five companies' capex per calendar quarter, so "capex is running at $X bn a year, N times 2024" is
-- one query. A company's fiscal quarter counts in the calendar quarter its period_end falls in
-- (mart_capex.calendar_label): Microsoft's quarters end in Mar/Jun/Sep/Dec and match calendar quarters,
-- Oracle's end in Feb/May/Aug/Nov, so Oracle's "2026Q2" is Mar-May 2026. A total is given only when
-- every company of seeds/companies.csv reports the quarter; a partial sum is never shown as a total.
with quarters as (

    select * from {{ ref('mart_capex') }}

),

expected as (

    select count(*) as companies_expected from {{ ref('companies') }}

),

per_quarter as (

    select
        calendar_year,
        calendar_quarter,
        calendar_label,
        count(*)                                       as companies_reporting,
        string_agg(company, ',' order by company)      as companies,
        sum(capex_usd)                                 as capex_sum,
        sum(capex_incl_finance_leases_usd)             as capex_incl_finance_leases_sum,
        count(ttm_capex_usd)                           as companies_with_ttm,
        sum(ttm_capex_usd)                             as ttm_sum,
        count(case when finance_lease_tagged then 1 end) as companies_with_finance_leases

    from quarters
    group by calendar_year, calendar_quarter, calendar_label

),

totals as (

    select
        per_quarter.*,
        expected.companies_expected,
        per_quarter.companies_reporting = expected.companies_expected   as is_complete,
        case when per_quarter.companies_reporting = expected.companies_expected
             then per_quarter.capex_sum end                              as capex_total,
        case when per_quarter.companies_reporting = expected.companies_expected
             then per_quarter.capex_incl_finance_leases_sum end          as capex_incl_total,
        -- the sum of every company's trailing twelve months ending in this calendar quarter, which is the
        -- sum of the four calendar-quarter totals ending here (each company has one quarter per calendar
        -- quarter: a data test on mart_capex)
        case when per_quarter.companies_with_ttm = expected.companies_expected
             then per_quarter.ttm_sum end                                as ttm_total

    from per_quarter
    cross join expected

),

calendar_years as (

    -- a calendar year's total only when all four of its quarters are complete
    select
        calendar_year,
        case when count(capex_total) = 4 then sum(capex_total) end as calendar_year_total

    from totals
    group by calendar_year

),

base_year as (

    select calendar_year_total as base_year_total
    from calendar_years
    where calendar_year = {{ var('capex_base_year') }}

)

select
    cast(totals.calendar_year as integer)                             as calendar_year,
    cast(totals.calendar_quarter as integer)                          as calendar_quarter,
    totals.calendar_label,
    cast(totals.companies_expected as integer)                        as companies_expected,
    cast(totals.companies_reporting as integer)                       as companies_reporting,
    totals.companies,
    totals.is_complete,
    cast(totals.capex_total as decimal(20, 2))                        as capex_usd,
    cast(totals.capex_incl_total as decimal(20, 2))                   as capex_incl_finance_leases_usd,
    cast(totals.companies_with_finance_leases as integer)             as companies_with_finance_leases,
    cast(totals.ttm_total as decimal(20, 2))                          as ttm_capex_usd,
    cast(totals.capex_total * 4 as decimal(20, 2))                    as run_rate_usd,
    cast(year_ago.capex_total as decimal(20, 2))                      as year_ago_capex_usd,
    cast(round(100 * (totals.capex_total / nullif(year_ago.capex_total, 0) - 1), 2) as decimal(12, 2))
                                                                      as yoy_growth_pct,
    cast(calendar_years.calendar_year_total as decimal(20, 2))        as calendar_year_capex_usd,
    cast({{ var('capex_base_year') }} as integer)                     as base_year,
    cast(base_year.base_year_total as decimal(20, 2))                 as base_year_capex_usd,
    cast(round(totals.capex_total * 4 / nullif(base_year.base_year_total, 0), 4) as decimal(12, 4))
                                                                      as run_rate_x_base_year,
    cast(round(totals.ttm_total / nullif(base_year.base_year_total, 0), 4) as decimal(12, 4))
                                                                      as ttm_x_base_year,
    coalesce(
        totals.calendar_year * 4 + totals.calendar_quarter
            = max(case when totals.is_complete then totals.calendar_year * 4 + totals.calendar_quarter end) over (),
        false
    )                                                                 as is_latest_complete_quarter

from totals
left join totals as year_ago
    on  totals.calendar_year - 1 = year_ago.calendar_year
    and totals.calendar_quarter = year_ago.calendar_quarter
left join calendar_years
    on totals.calendar_year = calendar_years.calendar_year
-- base_year has one row, or none before the base year is complete (then every ratio is NULL)
left join base_year
    on 1 = 1
