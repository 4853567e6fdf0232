-- Discrete fiscal quarters of capex per company and component, one row per (company, component,
-- period_end) however many filings repeat the period. Quarters come from int_capex_quarters_derived
-- ('reported' 3-month facts, else year-to-date differences). When a company reports one fiscal year
-- under more than one XBRL tag, one tag is used for the whole year (most quarters, then most recently
-- filed), so the quarters of a year always come from one consistent series.
with quarters as (

    select * from {{ ref('int_capex_quarters_derived') }}

),

tag_choice as (

    select
        company,
        component,
        fiscal_year,
        tag,
        row_number() over (
            partition by company, component, fiscal_year
            order by count(*) desc, max(filed) desc, tag
        ) as tag_rank

    from quarters
    group by company, component, fiscal_year, tag

)

select
    quarters.company,
    cast(quarters.cik as bigint)                          as cik,
    quarters.component,
    quarters.tag,
    cast(quarters.fiscal_year as integer)                 as fiscal_year,
    cast(quarters.fiscal_quarter as integer)              as fiscal_quarter,
    {{ dbt.concat([
        "'FY'", "cast(quarters.fiscal_year as " ~ dbt.type_string() ~ ")",
        "' Q'", "cast(quarters.fiscal_quarter as " ~ dbt.type_string() ~ ")",
    ]) }}                                                 as fiscal_label,
    cast(quarters.calendar_year as integer)               as calendar_year,
    cast(quarters.calendar_quarter as integer)            as calendar_quarter,
    {{ dbt.concat([
        "cast(quarters.calendar_year as " ~ dbt.type_string() ~ ")",
        "'Q'", "cast(quarters.calendar_quarter as " ~ dbt.type_string() ~ ")",
    ]) }}                                                 as calendar_label,
    quarters.period_start,
    quarters.period_end,
    quarters.capex_usd,
    quarters.derivation,
    quarters.accession,
    quarters.filed,
    quarters.restated

from quarters
inner join tag_choice
    on  quarters.company = tag_choice.company
    and quarters.component = tag_choice.component
    and quarters.fiscal_year = tag_choice.fiscal_year
    and quarters.tag = tag_choice.tag
where tag_choice.tag_rank = 1
