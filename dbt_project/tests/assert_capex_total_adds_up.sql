-- mart_capex_total against mart_capex, per calendar quarter: companies_reporting is the number of company
-- quarters in it, and a complete quarter's capex, capex incl. finance leases and run-rate are the sums of
-- the companies' (run-rate = 4 × capex). Returns the quarters that disagree.
-- meta.dagster.ref attaches it as an asset check to mart_capex_total (it reads two models).
{{ config(meta={'dagster': {'ref': {'name': 'mart_capex_total'}}}) }}

with companies as (

    select
        calendar_year,
        calendar_quarter,
        count(*)                             as company_quarters,
        sum(capex_usd)                       as capex_usd,
        sum(capex_incl_finance_leases_usd)   as capex_incl_finance_leases_usd

    from {{ ref('mart_capex') }}
    group by calendar_year, calendar_quarter

)

select
    total.calendar_label,
    total.companies_reporting,
    companies.company_quarters,
    total.capex_usd,
    companies.capex_usd                      as companies_capex_usd,
    total.run_rate_usd

from {{ ref('mart_capex_total') }} as total
left join companies
    on  total.calendar_year = companies.calendar_year
    and total.calendar_quarter = companies.calendar_quarter
where companies.company_quarters is null
    or total.companies_reporting <> companies.company_quarters
    or (total.is_complete and (
            total.capex_usd <> companies.capex_usd
            or total.capex_incl_finance_leases_usd <> companies.capex_incl_finance_leases_usd
            or total.run_rate_usd <> 4 * companies.capex_usd))
