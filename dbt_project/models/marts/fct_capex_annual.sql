-- Fiscal-year capex totals as filed in the 10-K (the 12-month period starting on the fiscal year's
-- first day), one row per (company, component, fiscal_year), latest filing's value. Where
-- fct_capex_quarterly has quarters for the year, the same XBRL tag is used, so the quarters can be
-- checked against the total (tests/assert_capex_quarters_sum_to_fiscal_year.sql).
with fiscal_years as (

    select * from {{ ref('int_capex_periods_classified') }}
    where ytd_quarters = 4

),

quarterly_tags as (

    select distinct company, component, fiscal_year, tag
    from {{ ref('fct_capex_quarterly') }}

),

ranked as (

    select
        fiscal_years.*,
        row_number() over (
            partition by fiscal_years.company, fiscal_years.component, fiscal_years.fiscal_year
            order by
                case when quarterly_tags.tag is not null then 0 else 1 end,
                fiscal_years.filed desc,
                fiscal_years.tag
        ) as tag_rank

    from fiscal_years
    left join quarterly_tags
        on  fiscal_years.company = quarterly_tags.company
        and fiscal_years.component = quarterly_tags.component
        and fiscal_years.fiscal_year = quarterly_tags.fiscal_year
        and fiscal_years.tag = quarterly_tags.tag

)

select
    company,
    cast(cik as bigint)                                   as cik,
    component,
    tag,
    cast(fiscal_year as integer)                          as fiscal_year,
    {{ dbt.concat(["'FY'", "cast(fiscal_year as " ~ dbt.type_string() ~ ")"]) }} as fiscal_label,
    period_start,
    period_end,
    cast(value_usd as decimal(20, 2))                     as capex_usd,
    accession,
    form,
    filed,
    cast(filing_count as integer)                         as filing_count,
    is_restated                                           as restated

from ranked
where tag_rank = 1
