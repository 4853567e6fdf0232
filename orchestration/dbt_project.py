"""The dbt project as Dagster sees it. The manifest is built by `make` (dbt parse) before Dagster loads."""

from dagster_dbt import DbtProject

from costcurve.config import PROJECT_ROOT

DBT_PROJECT_DIR = PROJECT_ROOT / "dbt_project"

dbt_project = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)
# Under `dagster dev` re-parse on load so model edits show up; elsewhere `make` has already parsed.
dbt_project.prepare_if_dev()
