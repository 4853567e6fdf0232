"""Every dbt model as a Dagster asset; dbt tests become asset checks. One dbt build per day's run."""

import os
import shutil
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DagsterDbtTranslatorSettings, DbtCliResource, dbt_assets
from dagster_dbt.core.dbt_cli_invocation import PARTIAL_PARSE_FILE_NAME

from orchestration.dbt_project import dbt_project
from orchestration.partitions import WAREHOUSE_POOL, daily_partitions, one_day_per_run


class CostcurveTranslator(DagsterDbtTranslator):
    """Groups models by layer (staging / intermediate / marts) so the UI reads like the data flow, and
    draws each staging model's lineage from the ingest assets of the sources it reads.

    The raw tables are shared by many sources, so a dbt source table cannot name one upstream asset;
    each staging model lists its source ids in ``meta.costcurve.source_ids`` and depends on
    ``raw/<source_id>`` instead, which also makes the dbt step wait for ingestion.
    """

    def get_asset_spec(self, manifest: Mapping[str, Any], unique_id: str, project) -> dg.AssetSpec:
        spec = super().get_asset_spec(manifest, unique_id, project)
        props = self.get_resource_props(manifest, unique_id)
        source_ids = props.get("config", {}).get("meta", {}).get("costcurve", {}).get("source_ids")
        if props.get("resource_type") != "model" or not source_ids:
            return spec
        deps = [dep for dep in spec.deps if dep.asset_key.path[0] != "raw"]
        deps += [dg.AssetDep(dg.AssetKey(["raw", source_id])) for source_id in source_ids]
        return spec.replace_attributes(deps=deps)

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        fqn = dbt_resource_props.get("fqn", [])
        if dbt_resource_props.get("resource_type") == "model" and len(fqn) > 2:
            return fqn[1]
        return super().get_group_name(dbt_resource_props)


@dbt_assets(
    manifest=dbt_project.manifest_path,
    project=dbt_project,
    partitions_def=daily_partitions,
    backfill_policy=one_day_per_run,
    pool=WAREHOUSE_POOL,
    dagster_dbt_translator=CostcurveTranslator(settings=DagsterDbtTranslatorSettings(enable_asset_checks=True)),
)
def costcurve_dbt_models(context: dg.AssetExecutionContext, dbt: DbtCliResource):
    # The marts rebuild from all raw history, so the partition is not passed to dbt: a --vars value that
    # changes every day would also make dbt re-parse the whole project on every run.
    # dbt unit tests check the SQL, not the day's data: `make test` runs them (tests/integration), so the
    # daily build leaves them out
    invocation = dbt.cli(["build", "--exclude", "resource_type:unit_test"], context=context)
    yield from invocation.stream()
    keep_partial_parse(invocation.target_path, dbt_project.project_dir / "target")


def keep_partial_parse(run_target: Path, project_target: Path) -> None:
    """Leave this run's parse state where dagster-dbt seeds the next run's target folder from.

    dagster-dbt copies ``target/partial_parse.msgpack`` into each run's own target folder, but the copy
    ``make`` writes (``dbt parse``) was made under another profile environment (the run sets
    COSTCURVE_WAREHOUSE), so dbt said "profile has changed" and parsed the whole project on every run.
    The run's own file matches the next run on the same warehouse. Replaced atomically: another run may
    be copying it at that moment.
    """
    produced = run_target / PARTIAL_PARSE_FILE_NAME
    if not produced.exists():
        return
    staged = project_target / f".{PARTIAL_PARSE_FILE_NAME}.{os.getpid()}"
    shutil.copyfile(produced, staged)
    os.replace(staged, project_target / PARTIAL_PARSE_FILE_NAME)
