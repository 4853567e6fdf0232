"""Resources, from the environment (COSTCURVE_* variables; see .env.example)."""

import dagster as dg
from dagster_dbt import DbtCliResource

from orchestration.dbt_project import dbt_project
from orchestration.resources import CostcurveResource


@dg.definitions
def resources() -> dg.Definitions:
    return dg.Definitions(
        resources={
            "costcurve": CostcurveResource.from_env(),
            "dbt": DbtCliResource(project_dir=dbt_project),
        }
    )
