"""Every dbt model as a Dagster asset; dbt tests become asset checks. One dbt build per day's run."""

import json
from collections.abc import Mapping
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DagsterDbtTranslatorSettings, DbtCliResource, dbt_assets

from orchestration.dbt_project import dbt_project
from orchestration.partitions import WAREHOUSE_POOL, daily_partitions


class CostcurveTranslator(DagsterDbtTranslator):
    """Groups models by layer (staging / intermediate / marts) so the UI reads like the data flow."""

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        fqn = dbt_resource_props.get("fqn", [])
        if dbt_resource_props.get("resource_type") == "model" and len(fqn) > 2:
            return fqn[1]
        return super().get_group_name(dbt_resource_props)


@dbt_assets(
    manifest=dbt_project.manifest_path,
    project=dbt_project,
    partitions_def=daily_partitions,
    pool=WAREHOUSE_POOL,
    dagster_dbt_translator=CostcurveTranslator(settings=DagsterDbtTranslatorSettings(enable_asset_checks=True)),
)
def costcurve_dbt_models(context: dg.AssetExecutionContext, dbt: DbtCliResource):
    # The marts rebuild from all raw history; the partition date is passed for models that want "as of".
    run_vars = {"run_date": context.partition_key}
    yield from dbt.cli(["build", "--vars", json.dumps(run_vars)], context=context).stream()
