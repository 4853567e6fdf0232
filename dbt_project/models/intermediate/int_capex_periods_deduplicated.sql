-- One row per (company, component, tag, period_start, period_end) in USD. The same period recurs in
-- every later filing that shows it as a comparative, and in every day's capture of the company
-- facts: the latest-filed value wins (restatements included), with the accession and filing date of
-- that filing, the number of distinct filings that reported the period and the number of distinct
-- values they gave it (more than one = restated). Why the latest: it is the company's current figure
-- for the period, and the one the SEC's own frames API puts its `frame` on (e.g. Meta's FY2022 capex,
-- 31,431 M in the FY2022 and FY2023 10-Ks, 31,186 M in the FY2024 10-K: frame CY2022 is on 31,186).
-- A later filing restates only the periods it shows, so a quarter derived from two year-to-date
-- values can combine a restated one with one never restated (see fct_capex_quarterly.restated).
with facts as (

    select * from {{ ref('stg_sec__capex_facts') }}
    where unit = 'USD'

),

ranked as (

    select
        company,
        cik,
        component,
        tag,
        period_start,
        period_end,
        value,
        accession,
        form,
        filed,
        row_number() over (
            partition by company, component, tag, period_start, period_end
            order by filed desc, accession desc, fetched_at desc
        ) as filing_rank

    from facts

),

filings as (

    select
        company,
        component,
        tag,
        period_start,
        period_end,
        count(distinct accession) as filing_count,
        count(distinct value)     as value_count,
        min(filed)                as first_filed

    from facts
    group by company, component, tag, period_start, period_end

)

select
    ranked.company,
    ranked.cik,
    ranked.component,
    ranked.tag,
    ranked.period_start,
    ranked.period_end,
    ranked.value         as value_usd,
    ranked.accession,
    ranked.form,
    ranked.filed,
    filings.first_filed,
    filings.filing_count,
    filings.value_count

from ranked
inner join filings
    on  ranked.company = filings.company
    and ranked.component = filings.component
    and ranked.tag = filings.tag
    and ranked.period_start = filings.period_start
    and ranked.period_end = filings.period_end
where ranked.filing_rank = 1
