-- Places every de-duplicated capex period on its company's fiscal calendar (seeds/companies.csv):
-- fiscal year (labelled by the calendar year in which it ends), fiscal quarter of the period end, the
-- period's length in months, and whether it is a discrete quarter or a year-to-date period that starts
-- on the fiscal year's first day (Q1 = 3 months, H1 = 6, 9M = 9, FY = 12).
--
-- Dates are snapped to the nearest month boundary first (a date +15 days, truncated to the month), so
-- 52/53-week fiscal calendars whose quarters end a few days either side of a month end classify the
-- same way as calendar-month ones.
with periods as (

    select
        periods.*,
        companies.fiscal_year_end_month

    from {{ ref('int_capex_periods_deduplicated') }} as periods
    inner join {{ ref('companies') }} as companies
        on periods.company = companies.company

),

snapped as (

    select
        *,
        cast({{ dbt.date_trunc('month', dbt.dateadd('day', 15, 'period_start')) }} as date)
            as nominal_start_month,
        cast({{ dbt.dateadd('day', -1, dbt.date_trunc('month', dbt.dateadd('day', 15, 'period_end'))) }} as date)
            as nominal_end_date

    from periods

),

parts as (

    select
        *,
        cast(extract(year from nominal_start_month) as integer)  as start_year,
        cast(extract(month from nominal_start_month) as integer) as start_month,
        cast(extract(year from nominal_end_date) as integer)     as end_year,
        cast(extract(month from nominal_end_date) as integer)    as end_month

    from snapped

),

fiscal as (

    select
        *,
        (end_year - start_year) * 12 + end_month - start_month + 1              as duration_months,
        end_year + case when end_month > fiscal_year_end_month then 1 else 0 end as fiscal_year,
        -- month number within the fiscal year (1 = the month after fiscal_year_end_month)
        mod(end_month - fiscal_year_end_month + 11, 12) + 1                      as fiscal_month_of_end,
        mod(start_month - fiscal_year_end_month + 11, 12) + 1                    as fiscal_month_of_start

    from parts

),

classified as (

    select
        *,
        case fiscal_month_of_end when 3 then 1 when 6 then 2 when 9 then 3 when 12 then 4 end
            as fiscal_quarter

    from fiscal

)

select
    company,
    cik,
    component,
    tag,
    period_start,
    period_end,
    value_usd,
    accession,
    form,
    filed,
    first_filed,
    filing_count,
    value_count > 1                                                      as is_restated,
    fiscal_year_end_month,
    duration_months,
    fiscal_year,
    fiscal_quarter,
    coalesce(duration_months = 3 and fiscal_quarter is not null, false) as is_discrete_quarter,
    case
        when fiscal_month_of_start = 1
            and fiscal_quarter is not null
            and duration_months = fiscal_month_of_end
            then fiscal_quarter
    end                                                                  as ytd_quarters,
    end_year                                                             as calendar_year,
    case when end_month <= 3 then 1 when end_month <= 6 then 2 when end_month <= 9 then 3 else 4 end
                                                                         as calendar_quarter

from classified
