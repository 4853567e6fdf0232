"""Resources, from the environment (COSTCURVE_* variables; see .env.example)."""

import sys
from pathlib import Path

import dagster as dg
from dagster_dbt import DbtCliResource

from orchestration.dbt_project import dbt_project
from orchestration.resources import CostcurveResource


@dg.definitions
def resources() -> dg.Definitions:
    return dg.Definitions(
        resources={
            "costcurve": CostcurveResource.from_env(),
            # the venv's dbt through `costcurve-dbt` (costcurve/dbt_child.py), which makes dbt die with the run
            # that started it; beside the interpreter, so definitions load without an activated virtualenv
            "dbt": DbtCliResource(project_dir=dbt_project,
                                  dbt_executable=str(Path(sys.executable).with_name("costcurve-dbt"))),
        }
    )
