"""The DuckDB file: raw DDL, idempotent loads, the analyst connection, publish and exports."""
