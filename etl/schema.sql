-- Warehouse layers: raw -> staging -> mart. The dashboard reads only mart.
CREATE SCHEMA IF NOT EXISTS raw;
CREATE SCHEMA IF NOT EXISTS staging;
CREATE SCHEMA IF NOT EXISTS mart;

-- raw: one row per archived response, with provenance. Bodies live under data/raw/.
CREATE TABLE raw.response (
    response_id  VARCHAR PRIMARY KEY,   -- run_id/source/table_key/n
    run_id       VARCHAR NOT NULL,
    source       VARCHAR NOT NULL,      -- scb | kolada | scb_v1 | reference
    table_key    VARCHAR NOT NULL,      -- seeds key: TAB3200, REGSO_LABOUR, N02267, municipality_groups ...
    kind         VARCHAR NOT NULL,      -- metadata | data | table_info | values | catalogue
    url          VARCHAR NOT NULL,
    query        VARCHAR,               -- JSON of the request query/selection
    fetched_at   TIMESTAMPTZ NOT NULL,
    updated      VARCHAR,               -- the source's own 'updated' stamp
    sha256       VARCHAR NOT NULL,
    bytes        BIGINT NOT NULL,
    path         VARCHAR NOT NULL,
    synthetic    BOOLEAN NOT NULL
);

-- staging: tidy tables, one per source, codes as the source has them.
CREATE TABLE staging.scb_observation (
    response_id    VARCHAR NOT NULL,
    table_key      VARCHAR NOT NULL,
    table_id       VARCHAR NOT NULL,
    area_code      VARCHAR NOT NULL,
    year           INTEGER NOT NULL,
    content_code   VARCHAR NOT NULL,
    sex_code       VARCHAR,
    birth_code     VARCHAR,
    age_code       VARCHAR,
    education_code VARCHAR,
    value          DOUBLE,
    status         VARCHAR NOT NULL     -- ok | suppressed | missing | not_applicable
);

CREATE TABLE staging.scb_label (
    table_key  VARCHAR NOT NULL,
    variable   VARCHAR NOT NULL,
    code       VARCHAR NOT NULL,
    label_sv   VARCHAR,
    label_en   VARCHAR
);

CREATE TABLE staging.kolada_observation (
    response_id VARCHAR NOT NULL,
    kpi         VARCHAR NOT NULL,
    area_code   VARCHAR NOT NULL,       -- Kolada id: 0000 country, 00LL county, 4-digit municipality
    year        INTEGER NOT NULL,
    gender      VARCHAR NOT NULL,       -- T | K | M
    value       DOUBLE,
    status      VARCHAR NOT NULL,
    kolada_status VARCHAR
);

CREATE TABLE staging.kolada_group (
    group_id     VARCHAR NOT NULL,
    title        VARCHAR NOT NULL,
    member_id    VARCHAR NOT NULL,
    member_title VARCHAR
);

-- mart: what the dashboard reads.
CREATE TABLE mart.area (
    area_code         VARCHAR PRIMARY KEY,  -- 00 | 01..25 | 4-digit | LA2401 | 0880R001_RegSO2025 | SET_...
    level             VARCHAR NOT NULL,     -- country | county | municipality | la_region | regso | area_set
    name_sv           VARCHAR NOT NULL,
    name_en           VARCHAR NOT NULL,
    county_code       VARCHAR,
    municipality_code VARCHAR,              -- for RegSO areas: their municipality
    la_code           VARCHAR,              -- for municipalities: LA region in the latest vintage
    la_vintage        VARCHAR,
    skr_group         VARCHAR,              -- SKR kommungrupp 2023 (municipalities)
    vintage           VARCHAR               -- RegSO / LA vintage of the area itself
);

CREATE TABLE mart.area_membership (
    parent_code  VARCHAR NOT NULL,          -- LA region or area set
    member_code  VARCHAR NOT NULL,
    vintage      VARCHAR NOT NULL,          -- LA vintage, or 'set'
    first_year   INTEGER NOT NULL,
    last_year    INTEGER NOT NULL
);

CREATE TABLE mart.observation (
    indicator      VARCHAR NOT NULL,
    area_code      VARCHAR NOT NULL,
    year           INTEGER NOT NULL,
    sex            VARCHAR NOT NULL,        -- total | women | men
    birth_region   VARCHAR NOT NULL,        -- total | sweden | foreign | nordic | eu_efta | rest_of_world | foreign_*y
    age            VARCHAR NOT NULL,        -- 20-64 | 20-65 | 20-66 | 25-65 | all
    value          DOUBLE,                  -- NULL when suppressed/missing, never 0 in their place
    numerator      DOUBLE,
    denominator    DOUBLE,
    status         VARCHAR NOT NULL,        -- ok | suppressed | missing | not_applicable | incomplete | derived
    source         VARCHAR NOT NULL,        -- scb | kolada | derived
    source_table   VARCHAR NOT NULL,        -- TAB3200 | N02268 | ...; for aggregates the member source
    series         VARCHAR,                 -- BAS | RAMS | NULL
    series_break   BOOLEAN NOT NULL,        -- first year of a new series on this line
    aggregation    VARCHAR NOT NULL,        -- published | summed_counts
    fetched_at     TIMESTAMPTZ,
    source_updated VARCHAR,
    synthetic      BOOLEAN NOT NULL,
    -- 95 % Wilson score interval of numerator/denominator in the value's unit (etl/uncertainty.py),
    -- filled once by the series-break rewrite; NULL without both counts, suppressed or derived
    ci_low         DOUBLE,
    ci_high        DOUBLE
    -- the build's last rewrite (etl/mart.py rewrite_with_breaks) adds the column
    -- provenance VARCHAR NOT NULL: real | synthetic | synthetic, calibrated to real <source>
    -- unique on (indicator, area_code, year, sex, birth_region, age): checked by the build before
    -- the swap (an ART primary-key index made loading 1.4M rows several times slower)
);

-- the gap views' wide rows (built by etl/wide.py from mart.observation): one row per indicator, age,
-- area and year, with the value, counts, status, series, break, synthetic flag and provenance
-- (etl/row_provenance.py) of each group the gaps in dashboard/gaps.py compare (and total.total, the explore view's population). A group's
-- status is NULL where mart.observation has no row for it. Sorted by indicator, age, year, level, area.
CREATE TABLE mart.gap_wide (
    indicator         VARCHAR NOT NULL,
    age               VARCHAR NOT NULL,
    year              INTEGER NOT NULL,
    level             VARCHAR NOT NULL,
    municipality_code VARCHAR,
    area_code         VARCHAR NOT NULL,
    women__foreign__value DOUBLE,
    women__foreign__numerator DOUBLE,
    women__foreign__denominator DOUBLE,
    women__foreign__status VARCHAR,
    women__foreign__series VARCHAR,
    women__foreign__series_break BOOLEAN,
    women__foreign__synthetic BOOLEAN,
    women__foreign__provenance VARCHAR,
    women__sweden__value DOUBLE,
    women__sweden__numerator DOUBLE,
    women__sweden__denominator DOUBLE,
    women__sweden__status VARCHAR,
    women__sweden__series VARCHAR,
    women__sweden__series_break BOOLEAN,
    women__sweden__synthetic BOOLEAN,
    women__sweden__provenance VARCHAR,
    men__foreign__value DOUBLE,
    men__foreign__numerator DOUBLE,
    men__foreign__denominator DOUBLE,
    men__foreign__status VARCHAR,
    men__foreign__series VARCHAR,
    men__foreign__series_break BOOLEAN,
    men__foreign__synthetic BOOLEAN,
    men__foreign__provenance VARCHAR,
    men__sweden__value DOUBLE,
    men__sweden__numerator DOUBLE,
    men__sweden__denominator DOUBLE,
    men__sweden__status VARCHAR,
    men__sweden__series VARCHAR,
    men__sweden__series_break BOOLEAN,
    men__sweden__synthetic BOOLEAN,
    men__sweden__provenance VARCHAR,
    total__foreign__value DOUBLE,
    total__foreign__numerator DOUBLE,
    total__foreign__denominator DOUBLE,
    total__foreign__status VARCHAR,
    total__foreign__series VARCHAR,
    total__foreign__series_break BOOLEAN,
    total__foreign__synthetic BOOLEAN,
    total__foreign__provenance VARCHAR,
    total__sweden__value DOUBLE,
    total__sweden__numerator DOUBLE,
    total__sweden__denominator DOUBLE,
    total__sweden__status VARCHAR,
    total__sweden__series VARCHAR,
    total__sweden__series_break BOOLEAN,
    total__sweden__synthetic BOOLEAN,
    total__sweden__provenance VARCHAR,
    women__rest_of_world__value DOUBLE,
    women__rest_of_world__numerator DOUBLE,
    women__rest_of_world__denominator DOUBLE,
    women__rest_of_world__status VARCHAR,
    women__rest_of_world__series VARCHAR,
    women__rest_of_world__series_break BOOLEAN,
    women__rest_of_world__synthetic BOOLEAN,
    women__rest_of_world__provenance VARCHAR,
    total__rest_of_world__value DOUBLE,
    total__rest_of_world__numerator DOUBLE,
    total__rest_of_world__denominator DOUBLE,
    total__rest_of_world__status VARCHAR,
    total__rest_of_world__series VARCHAR,
    total__rest_of_world__series_break BOOLEAN,
    total__rest_of_world__synthetic BOOLEAN,
    total__rest_of_world__provenance VARCHAR,
    total__total__value DOUBLE,
    total__total__numerator DOUBLE,
    total__total__denominator DOUBLE,
    total__total__status VARCHAR,
    total__total__series VARCHAR,
    total__total__series_break BOOLEAN,
    total__total__synthetic BOOLEAN,
    total__total__provenance VARCHAR
);

-- what the dashboard's catalogue needs, counted once at build time (mart.observation x mart.area):
-- rows and rows with a value per indicator, age, level, sex, birth region and year
CREATE TABLE mart.coverage (
    indicator    VARCHAR NOT NULL,
    age          VARCHAR NOT NULL,
    level        VARCHAR NOT NULL,
    sex          VARCHAR NOT NULL,
    birth_region VARCHAR NOT NULL,
    year         INTEGER NOT NULL,
    n            BIGINT NOT NULL,
    n_value      BIGINT NOT NULL
);

-- members missing from a combined area's aggregate (RegSO sets): which, and why
CREATE TABLE mart.aggregate_gap (
    indicator       VARCHAR NOT NULL,
    area_code       VARCHAR NOT NULL,
    year            INTEGER NOT NULL,
    sex             VARCHAR NOT NULL,
    birth_region    VARCHAR NOT NULL,
    age             VARCHAR NOT NULL,
    missing_members VARCHAR NOT NULL,        -- comma-separated member area codes
    reason          VARCHAR NOT NULL         -- suppressed_or_missing | no_matching_population
);

-- LUA districts rebuilt from counts (etl/lua_rebuild.py): rebuilt sums against TAB6680's totals
CREATE TABLE mart.rebuild_check (
    area_code      VARCHAR NOT NULL,        -- the district (RegSO set)
    year           INTEGER NOT NULL,
    sex            VARCHAR NOT NULL,
    measure        VARCHAR NOT NULL,        -- population | employed (seeds/rebuild_checks.csv)
    rebuilt        DOUBLE,
    published      DOUBLE,                  -- TAB6680, same RegSO areas, sex, year and age
    difference     DOUBLE,
    relative_pct   DOUBLE,
    tolerance_pct  DOUBLE NOT NULL,
    within         BOOLEAN
);

-- One line per LUA district (and the 17 together, the county without them), 1997 to today:
-- SCB's district table (series LUA, to 2018) then the RegSO composition (2020-), a break between
-- (etl/lua_history.py). `age` says each row's base (the RegSO shares by birth region are 20-65).
CREATE TABLE mart.lua_line (
    indicator      VARCHAR NOT NULL,
    area_code      VARCHAR NOT NULL,
    year           INTEGER NOT NULL,
    sex            VARCHAR NOT NULL,
    birth_region   VARCHAR NOT NULL,
    age            VARCHAR NOT NULL,
    value          DOUBLE,
    status         VARCHAR NOT NULL,
    source_table   VARCHAR NOT NULL,
    series         VARCHAR,
    series_break   BOOLEAN NOT NULL,
    synthetic      BOOLEAN NOT NULL
);

CREATE TABLE mart.indicator (
    indicator        VARCHAR PRIMARY KEY,
    unit             VARCHAR NOT NULL,
    decimals         INTEGER NOT NULL,
    higher_is_better BOOLEAN,
    name_sv          VARCHAR NOT NULL,
    name_en          VARCHAR NOT NULL,
    definition_sv    VARCHAR,
    definition_en    VARCHAR
);

-- one row per series (indicator x source table/KPI) actually loaded
CREATE TABLE mart.series (
    indicator      VARCHAR NOT NULL,
    source         VARCHAR NOT NULL,
    source_table   VARCHAR NOT NULL,
    source_title   VARCHAR,
    series         VARCHAR,
    first_year     INTEGER,
    last_year      INTEGER,
    rows           BIGINT NOT NULL,
    synthetic_rows BIGINT NOT NULL,         -- rows with made-up values (demo); 0 for official data
    source_updated VARCHAR,
    fetched_at     TIMESTAMPTZ,
    url            VARCHAR,
    synthetic      BOOLEAN NOT NULL,        -- every row of the series is synthetic
    attribution    VARCHAR NOT NULL,        -- Källa: SCB | Källa: Kolada (seeds/sources.csv)
    notes          VARCHAR,                 -- e.g. SCB's disclosure-control note
    licence        VARCHAR,                 -- CC0 | Kolada's terms (seeds/sources.csv)
    noise_from_year INTEGER                 -- first reference year with disclosure noise (SCB's CKM)
);

CREATE TABLE mart.peer_group (
    peer_kind   VARCHAR NOT NULL,           -- skr_2023 | similar_labour_2024
    group_id    VARCHAR NOT NULL,           -- Kolada group id
    group_name  VARCHAR NOT NULL,
    owner_code  VARCHAR,                    -- for 'similar' groups: the municipality the group is for
    area_code   VARCHAR NOT NULL            -- member
);

CREATE TABLE mart.label (
    dimension VARCHAR NOT NULL,
    value     VARCHAR NOT NULL,
    sort      INTEGER NOT NULL,
    kind      VARCHAR,
    name_sv   VARCHAR,
    name_en   VARCHAR
);

CREATE TABLE mart.area_geometry (
    area_code VARCHAR PRIMARY KEY,
    level     VARCHAR NOT NULL,
    geojson   VARCHAR NOT NULL,             -- one GeoJSON Feature, WGS84, simplified for the web
    source    VARCHAR NOT NULL,
    synthetic BOOLEAN NOT NULL              -- schematic shapes made up for the demo
);

CREATE TABLE mart.crosscheck (
    indicator    VARCHAR NOT NULL,
    area_code    VARCHAR NOT NULL,
    year         INTEGER NOT NULL,
    sex          VARCHAR NOT NULL,
    birth_region VARCHAR NOT NULL,
    scb_table    VARCHAR NOT NULL,
    scb_value    DOUBLE,
    kolada_kpi   VARCHAR NOT NULL,
    kolada_value DOUBLE,
    diff_pp      DOUBLE,
    synthetic    BOOLEAN NOT NULL            -- both sides made up (demo): not a real comparison
);

-- Explain the gap (etl/decompose.py): one row per area x year x gap preset whose two groups have
-- five-year age-band counts. Rates in per cent, gaps and effects in percentage points; crude_gap =
-- composition + rate_effect (Kitagawa 1955). Combined areas from summed municipality counts.
CREATE TABLE mart.gap_decomposition (
    area_code           VARCHAR NOT NULL,
    year                INTEGER NOT NULL,
    gap                 VARCHAR NOT NULL,   -- seeds/gap_presets.csv: group 1 minus group 2
    actual_1            DOUBLE,             -- employment rate of group 1, 20-64, from summed bands
    actual_2            DOUBLE,
    crude_gap           DOUBLE,             -- actual_1 - actual_2
    composition         DOUBLE,             -- part due to different age structure
    rate_effect         DOUBLE,             -- part due to different rates at the same ages
    standardised_gap    DOUBLE,             -- direct standardisation on the country's 20-64 population
    expected_1          DOUBLE,             -- group 1 at the country's age-specific rates of group 1
    local_difference    DOUBLE,             -- actual_1 - expected_1
    min_band_population DOUBLE,             -- smallest band population of the two groups
    flags               VARCHAR NOT NULL,   -- ';'-separated: small_numbers, missing_band, empty_band,
                                            -- incomplete_members, no_reference, disclosure_noise
    synthetic           BOOLEAN NOT NULL
);

CREATE TABLE mart.etl_run (
    run_id        VARCHAR PRIMARY KEY,
    kind          VARCHAR NOT NULL,         -- refresh | rebuild | demo
    started_at    TIMESTAMPTZ NOT NULL,
    finished_at   TIMESTAMPTZ,
    status        VARCHAR NOT NULL,         -- ok | failed
    rows_per_table VARCHAR,                 -- JSON
    source_versions VARCHAR,                -- JSON: table/KPI -> updated stamp
    scb_url       VARCHAR,
    kolada_url    VARCHAR,
    synthetic     BOOLEAN NOT NULL,
    report        VARCHAR                   -- JSON run report
);

CREATE TABLE mart.warehouse_info (
    key   VARCHAR PRIMARY KEY,
    value VARCHAR
);

-- One row per refresh unit (SCB table, boundary layer, Kolada KPI, Kolada groups): its state at
-- build time. `state` is ok | failed (stale: the last complete archive is used) | missing (never
-- succeeded) | retired (the source dropped it; archived values are kept, shown as discontinued).
CREATE TABLE mart.unit_status (
    source         VARCHAR NOT NULL,
    unit_key       VARCHAR NOT NULL,
    kind           VARCHAR NOT NULL,
    state          VARCHAR NOT NULL,
    last_success   VARCHAR,
    last_attempt   VARCHAR,
    error          VARCHAR,
    source_updated VARCHAR,
    resolved       VARCHAR,  -- JSON: table id found by search, content codes matched by label
    unmapped       VARCHAR,  -- JSON: "variable=code" -> cells the seeds do not map
    retired_at     VARCHAR,
    indicators     VARCHAR,  -- the indicators this unit feeds (comma-separated, from seeds)
    observations   BIGINT DEFAULT 0,
    PRIMARY KEY (source, unit_key)
);

-- Work table of the build: every source's candidate value per key, before one source is picked.
-- mart.build_observations fills it, mart.build_crosscheck reads it, the build's last step drops it.
-- A table in the file, not a TEMP table: a TEMP table lives in memory, and under the build's
-- memory limit (LABOURDASH_DUCKDB_MEMORY_LIMIT) the full catalogue's candidates do not fit.
CREATE SCHEMA work;
CREATE TABLE work.candidates (
    indicator      VARCHAR,
    area_code      VARCHAR,
    year           INTEGER,
    sex            VARCHAR,
    birth_region   VARCHAR,
    age            VARCHAR,
    value          DOUBLE,
    numerator      DOUBLE,
    denominator    DOUBLE,
    status         VARCHAR,
    source         VARCHAR,                -- scb | kolada
    source_table   VARCHAR,
    series         VARCHAR,
    priority       INTEGER,
    fetched_at     TIMESTAMPTZ,
    source_updated VARCHAR,
    synthetic      BOOLEAN,
    unmapped       BOOLEAN                 -- a code the seeds do not map: never published
);
