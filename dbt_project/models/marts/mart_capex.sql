-- Capex per company and fiscal quarter with the numbers analysts quote: trailing twelve months, calendar
-- year, run-rate, year-on-year growth, and capex plus finance-lease principal. One row per capex quarter
-- of fct_capex_quarterly; the five-company total per calendar quarter is mart_capex_total.
with capex as (

    select * from {{ ref('fct_capex_quarterly') }}
    where component = 'capex'

),

finance_leases as (

    select company, period_end, capex_usd as finance_lease_principal_usd
    from {{ ref('fct_capex_quarterly') }}
    where component = 'finance_lease_principal'

),

chained as (

    -- a quarter follows the previous one when it starts the day after that one ended: consecutive by
    -- dates, so a missing quarter breaks the chain however many rows there are
    select
        capex.*,
        finance_leases.finance_lease_principal_usd,
        coalesce(
            capex.period_start = cast({{ dbt.dateadd('day', 1,
                'lag(capex.period_end) over (partition by capex.company order by capex.period_end)') }} as date),
            false
        ) as follows_previous

    from capex
    left join finance_leases
        on  capex.company = finance_leases.company
        and capex.period_end = finance_leases.period_end

),

windowed as (

    select
        chained.*,
        -- this quarter and the three before it are consecutive when it and its two predecessors each
        -- follow the quarter before them
        follows_previous
            and coalesce(lag(follows_previous, 1) over (partition by company order by period_end), false)
            and coalesce(lag(follows_previous, 2) over (partition by company order by period_end), false)
            as has_four_consecutive,
        sum(capex_usd) over (
            partition by company order by period_end rows between 3 preceding and current row
        ) as four_quarter_sum,
        sum(capex_usd) over (partition by company, calendar_year) as calendar_year_sum,
        count(*) over (partition by company, calendar_year) as quarters_in_calendar_year,
        max(period_end) over (partition by company) as latest_period_end

    from chained

)

select
    windowed.company,
    windowed.cik,
    windowed.fiscal_year,
    windowed.fiscal_quarter,
    windowed.fiscal_label,
    windowed.calendar_year,
    windowed.calendar_quarter,
    windowed.calendar_label,
    windowed.period_start,
    windowed.period_end,
    windowed.capex_usd,
    windowed.finance_lease_principal_usd,
    windowed.finance_lease_principal_usd is not null                       as finance_lease_tagged,
    cast(windowed.capex_usd + coalesce(windowed.finance_lease_principal_usd, 0) as decimal(20, 2))
                                                                             as capex_incl_finance_leases_usd,
    cast(case when windowed.has_four_consecutive then windowed.four_quarter_sum end as decimal(20, 2))
                                                                             as ttm_capex_usd,
    cast(windowed.quarters_in_calendar_year as integer)                    as quarters_in_calendar_year,
    cast(case when windowed.quarters_in_calendar_year = 4 then windowed.calendar_year_sum end as decimal(20, 2))
                                                                             as calendar_year_capex_usd,
    cast(windowed.capex_usd * 4 as decimal(20, 2))                         as run_rate_usd,
    year_ago.capex_usd                                                     as year_ago_capex_usd,
    cast(round(100 * (windowed.capex_usd / nullif(year_ago.capex_usd, 0) - 1), 2) as decimal(12, 2))
                                                                             as yoy_growth_pct,
    windowed.period_end = windowed.latest_period_end                       as is_latest_quarter,
    windowed.derivation,
    windowed.restated,
    windowed.accession

from windowed
-- the same fiscal quarter of the previous fiscal year (by fiscal keys, not by subtracting a year from
-- the date: Oracle's Q3 ends on 29 February in leap years)
left join capex as year_ago
    on  windowed.company = year_ago.company
    and windowed.fiscal_year - 1 = year_ago.fiscal_year
    and windowed.fiscal_quarter = year_ago.fiscal_quarter
