"""The daily partition (one day's run, UTC) and the pool every DuckDB-writing step shares."""

import dagster as dg

#: DuckDB allows one writing process: every asset or check that opens the warehouse runs in this pool,
#: whose limit is 1 in the instance config (.dagster_home/dagster.yaml, written by `make`).
WAREHOUSE_POOL = "duckdb_warehouse"

#: end_offset=1 makes today's partition exist, so the 06:00 UTC run captures today, not yesterday.
#: The first partition is 2023-01-01 so that real captures from 2023 on (the demo replays days from
#: 2024-04-01) can be run as the days they were taken.
daily_partitions = dg.DailyPartitionsDefinition(start_date="2023-01-01", timezone="UTC", end_offset=1)

#: one day per run, also in backfills: each day's captures, gates and alerts stand on their own
one_day_per_run = dg.BackfillPolicy.multi_run(max_partitions_per_run=1)
