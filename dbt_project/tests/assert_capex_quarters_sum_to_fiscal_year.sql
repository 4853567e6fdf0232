-- For every fiscal year with all four quarters in fct_capex_quarterly, the quarters sum to the
-- fiscal-year total filed in the 10-K (fct_capex_annual), on the same XBRL tag. Returns the years
-- that do not. (Derived quarters telescope to the total by construction; a mismatch means a directly
-- reported quarter disagrees with the year-to-date facts, or the tag choice split a year.)
-- Restatements keep it true: both marts use each period's latest-filed value, so a restated FY total
-- moves Q4 (= FY - 9M) with it (Meta FY2022: 31,186 M as restated, Q4 8,798 M, flagged `restated`).
-- meta.dagster.ref attaches it as an asset check to fct_capex_quarterly (it reads two models).
{{ config(meta={'dagster': {'ref': {'name': 'fct_capex_quarterly'}}}) }}

with quarters as (

    select
        company,
        component,
        fiscal_year,
        min(tag)        as tag,
        count(*)        as quarter_count,
        sum(capex_usd)  as quarters_usd

    from {{ ref('fct_capex_quarterly') }}
    group by company, component, fiscal_year

)

select
    annual.company,
    annual.component,
    annual.fiscal_year,
    annual.tag                              as annual_tag,
    quarters.tag                            as quarters_tag,
    annual.capex_usd                        as annual_usd,
    quarters.quarters_usd,
    quarters.quarters_usd - annual.capex_usd as difference_usd

from {{ ref('fct_capex_annual') }} as annual
inner join quarters
    on  annual.company = quarters.company
    and annual.component = quarters.component
    and annual.fiscal_year = quarters.fiscal_year
where quarters.quarter_count = 4
    and (quarters.quarters_usd <> annual.capex_usd or quarters.tag <> annual.tag)
