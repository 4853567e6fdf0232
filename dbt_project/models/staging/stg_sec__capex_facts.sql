-- Capex XBRL facts from SEC EDGAR: one row per raw.capex_facts row, renamed and cast only.
-- fiscal_year / fiscal_period describe the FILING that carried the fact, not the period it measures,
-- hence the filing_ prefix.
{{ config(meta={'costcurve': {'source_ids': var('sec_source_ids')}}) }}

with source as (

    select * from {{ source('raw', 'capex_facts') }}
    where source_id in ({{ sql_string_list(var('sec_source_ids')) }})

),

renamed as (

    select
        cast(partition_date as date)                 as observed_date,
        source_id,
        source_url,
        fetched_at,
        raw_sha256,
        parser_version,
        cast(cik as bigint)                          as cik,
        company,
        entity_name,
        taxonomy,
        tag,
        component,
        unit,
        cast(period_start as date)                   as period_start,
        cast(period_end as date)                     as period_end,
        cast(value as decimal(20, 2))                as value,
        accession,
        form,
        cast(fiscal_year as integer)                 as filing_fiscal_year,
        fiscal_period                                as filing_fiscal_period,
        cast(filed as date)                          as filed,
        frame,
        loaded_at

    from source

)

select * from renamed
