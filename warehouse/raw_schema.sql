-- Raw tables: one row per record a parser returned, as returned. Loads replace a whole
-- (source_id, partition_date) slice at once, so re-running a day never duplicates rows.
-- Money is DECIMAL(38, 18): exact per-token prices (OpenRouter publishes up to 22 decimals per token)
CREATE SCHEMA IF NOT EXISTS raw;

CREATE TABLE IF NOT EXISTS raw.fetches (
    partition_date DATE NOT NULL,
    source_id      VARCHAR NOT NULL,
    capture_key    VARCHAR NOT NULL,
    url            VARCHAR NOT NULL,
    fetched_at     TIMESTAMPTZ NOT NULL,
    http_status    INTEGER NOT NULL,
    sha256         VARCHAR NOT NULL,
    bytes          BIGINT NOT NULL,
    content_type   VARCHAR,
    replayed       BOOLEAN NOT NULL,
    etag           VARCHAR,
    last_modified  VARCHAR,
    loaded_at      TIMESTAMPTZ NOT NULL
);

CREATE TABLE IF NOT EXISTS raw.price_facts (
    partition_date    DATE NOT NULL,
    source_id         VARCHAR NOT NULL,
    source_url        VARCHAR NOT NULL,
    fetched_at        TIMESTAMPTZ NOT NULL,
    raw_sha256        VARCHAR NOT NULL,
    parser_version    VARCHAR NOT NULL,
    provider_id       VARCHAR NOT NULL,
    model_id          VARCHAR NOT NULL,
    model_name        VARCHAR NOT NULL,
    token_type        VARCHAR NOT NULL,
    service_tier      VARCHAR NOT NULL,
    context_band      VARCHAR NOT NULL,
    modality          VARCHAR NOT NULL,
    currency          VARCHAR NOT NULL,
    price_per_mtok    DECIMAL(38, 18) NOT NULL,
    usd_per_mtok      DECIMAL(38, 18),
    unit_as_published VARCHAR NOT NULL,
    raw_value         VARCHAR NOT NULL,
    valid_from        DATE,
    valid_to          DATE,
    valid_from_basis  VARCHAR,
    loaded_at         TIMESTAMPTZ NOT NULL
);

CREATE TABLE IF NOT EXISTS raw.model_attributes (
    partition_date     DATE NOT NULL,
    source_id          VARCHAR NOT NULL,
    source_url         VARCHAR NOT NULL,
    fetched_at         TIMESTAMPTZ NOT NULL,
    raw_sha256         VARCHAR NOT NULL,
    parser_version     VARCHAR NOT NULL,
    provider_id        VARCHAR NOT NULL,
    model_id           VARCHAR NOT NULL,
    source_model_id    VARCHAR NOT NULL,
    model_name         VARCHAR NOT NULL,
    creator            VARCHAR NOT NULL,
    hugging_face_id    VARCHAR,
    open_weights       BOOLEAN,
    open_weights_basis VARCHAR,
    context_length     BIGINT,
    created_at         TIMESTAMPTZ,
    loaded_at          TIMESTAMPTZ NOT NULL
);

CREATE TABLE IF NOT EXISTS raw.capex_facts (
    partition_date DATE NOT NULL,
    source_id      VARCHAR NOT NULL,
    source_url     VARCHAR NOT NULL,
    fetched_at     TIMESTAMPTZ NOT NULL,
    raw_sha256     VARCHAR NOT NULL,
    parser_version VARCHAR NOT NULL,
    cik            BIGINT NOT NULL,
    company        VARCHAR NOT NULL,
    entity_name    VARCHAR NOT NULL,
    taxonomy       VARCHAR NOT NULL,
    tag            VARCHAR NOT NULL,
    component      VARCHAR NOT NULL,
    unit           VARCHAR NOT NULL,
    period_start   DATE NOT NULL,
    period_end     DATE NOT NULL,
    value          DECIMAL(20, 2) NOT NULL,
    accession      VARCHAR NOT NULL,
    form           VARCHAR NOT NULL,
    fiscal_year    INTEGER,
    fiscal_period  VARCHAR,
    filed          DATE NOT NULL,
    frame          VARCHAR,
    loaded_at      TIMESTAMPTZ NOT NULL
);

CREATE TABLE IF NOT EXISTS raw.parse_exclusions (
    partition_date DATE NOT NULL,
    source_id      VARCHAR NOT NULL,
    source_url     VARCHAR NOT NULL,
    fetched_at     TIMESTAMPTZ NOT NULL,
    raw_sha256     VARCHAR NOT NULL,
    parser_version VARCHAR NOT NULL,
    item           VARCHAR NOT NULL,
    field          VARCHAR NOT NULL,
    reason         VARCHAR NOT NULL,
    loaded_at      TIMESTAMPTZ NOT NULL
);

CREATE TABLE IF NOT EXISTS raw.performance_facts (
    partition_date DATE NOT NULL,
    source_id      VARCHAR NOT NULL,
    source_url     VARCHAR NOT NULL,
    fetched_at     TIMESTAMPTZ NOT NULL,
    raw_sha256     VARCHAR NOT NULL,
    parser_version VARCHAR NOT NULL,
    provider_id    VARCHAR NOT NULL,
    model_id       VARCHAR NOT NULL,
    model_name     VARCHAR NOT NULL,
    metric         VARCHAR NOT NULL,
    value          DECIMAL(18, 6) NOT NULL,
    unit           VARCHAR NOT NULL,
    quantization   VARCHAR,
    raw_value      VARCHAR NOT NULL,
    loaded_at      TIMESTAMPTZ NOT NULL
);

CREATE TABLE IF NOT EXISTS raw.usage_facts (
    partition_date        DATE NOT NULL,
    source_id             VARCHAR NOT NULL,
    source_url            VARCHAR NOT NULL,
    fetched_at            TIMESTAMPTZ NOT NULL,
    raw_sha256            VARCHAR NOT NULL,
    parser_version        VARCHAR NOT NULL,
    usage_date            DATE NOT NULL,
    source_model_id       VARCHAR NOT NULL,
    model_id              VARCHAR NOT NULL,
    creator               VARCHAR NOT NULL,
    rank                  INTEGER,
    total_tokens          HUGEINT NOT NULL,
    prompt_tokens         HUGEINT,
    completion_tokens     HUGEINT,
    share_of_daily_tokens DECIMAL(18, 15),
    as_of                 DATE NOT NULL,
    citation              VARCHAR NOT NULL,
    loaded_at             TIMESTAMPTZ NOT NULL
);

CREATE TABLE IF NOT EXISTS raw.throughput_disclosures (
    partition_date  DATE NOT NULL,
    source_id       VARCHAR NOT NULL,
    source_url      VARCHAR NOT NULL,
    fetched_at      TIMESTAMPTZ NOT NULL,
    raw_sha256      VARCHAR NOT NULL,
    parser_version  VARCHAR NOT NULL,
    company         VARCHAR NOT NULL,
    metric          VARCHAR NOT NULL,
    value           DECIMAL(24, 6) NOT NULL,
    unit            VARCHAR NOT NULL,
    period_start    DATE,
    period_end      DATE NOT NULL,
    disclosed_on    DATE NOT NULL,
    disclosure_url  VARCHAR NOT NULL,
    note            VARCHAR,
    loaded_at       TIMESTAMPTZ NOT NULL
);

-- Capability scores: one model's score on one benchmark or index as a source lists it (Epoch AI's
-- benchmark tables, token-tariff's Artificial Analysis index and METR horizons), with the date it is
-- known for (as_of, and how: stated / on_or_before / captured). Names are the source's own.
CREATE TABLE IF NOT EXISTS raw.capability_scores (
    partition_date    DATE NOT NULL,
    source_id         VARCHAR NOT NULL,
    source_url        VARCHAR NOT NULL,
    fetched_at        TIMESTAMPTZ NOT NULL,
    raw_sha256        VARCHAR NOT NULL,
    parser_version    VARCHAR NOT NULL,
    model_id          VARCHAR NOT NULL,
    model_name        VARCHAR NOT NULL,
    creator           VARCHAR,
    benchmark         VARCHAR NOT NULL,
    benchmark_version VARCHAR,
    score             DECIMAL(18, 6) NOT NULL,
    scale             VARCHAR NOT NULL,
    as_of             DATE NOT NULL,
    as_of_basis       VARCHAR NOT NULL,
    release_date      DATE,
    score_source_url  VARCHAR,
    raw_value         VARCHAR NOT NULL,
    citation          VARCHAR NOT NULL,
    loaded_at         TIMESTAMPTZ NOT NULL
);

-- Rows a content gate (warehouse/content_gates.py) kept out of the raw tables, with why. Replaced per
-- (source_id, partition_date) on every load, like the raw tables. action: rejected (stays out until the
-- source or parser changes) or held (loads on the next run once released in quarantine_releases).
CREATE TABLE IF NOT EXISTS raw.quarantine (
    quarantine_id  VARCHAR NOT NULL,
    partition_date DATE NOT NULL,
    source_id      VARCHAR NOT NULL,
    rule           VARCHAR NOT NULL,
    action         VARCHAR NOT NULL,
    reason         VARCHAR NOT NULL,
    raw_table      VARCHAR NOT NULL,
    raw_sha256     VARCHAR NOT NULL,
    source_url     VARCHAR NOT NULL,
    row_json       VARCHAR NOT NULL,
    quarantined_at TIMESTAMPTZ NOT NULL
);

-- Who let a held row through and why (`costcurve release`). Never replaced by a load: a release outlives
-- re-runs of its day.
CREATE TABLE IF NOT EXISTS raw.quarantine_releases (
    quarantine_id  VARCHAR NOT NULL,
    source_id      VARCHAR NOT NULL,
    partition_date DATE NOT NULL,
    rule           VARCHAR NOT NULL,
    released_by    VARCHAR NOT NULL,
    reason         VARCHAR NOT NULL,
    released_at    TIMESTAMPTZ NOT NULL
);
