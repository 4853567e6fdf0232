"""The dbt project as Dagster sees it. The manifest is built by `make` (dbt parse) before Dagster loads."""

import json
from functools import cache

from dagster_dbt import DbtProject

from costcurve.config import PROJECT_ROOT

DBT_PROJECT_DIR = PROJECT_ROOT / "dbt_project"

dbt_project = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)
# Under `dagster dev` re-parse on load so model edits show up; elsewhere `make` has already parsed.
dbt_project.prepare_if_dev()


def published_marts() -> tuple[str, ...]:
    """The marts analysts query, gated and exported: every model under ``models/marts/``, read from the manifest.

    Adding a mart is adding its model; its gate (a suite named after it in ``expectations/suites``) and its
    Parquet export follow from here, and a test names any mart that has no suite.
    """
    return _models_under("models/marts/")


@cache
def _models_under(folder: str) -> tuple[str, ...]:
    manifest = json.loads(dbt_project.manifest_path.read_text())
    return tuple(sorted(
        node["name"] for node in manifest["nodes"].values()
        if node["resource_type"] == "model" and node["original_file_path"].startswith(folder)
    ))
