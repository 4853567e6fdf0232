"""Dagster wiring only: assets that call the other rooms, checks, resources, partitions, jobs, schedules."""
