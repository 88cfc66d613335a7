"""JSON Schema files generated from the record models, checked in beside them.

Non-Python tools validate exports with these files; a test fails if they drift from the models.
"""

from __future__ import annotations

import json
from pathlib import Path

from . import SCHEMAS

SCHEMA_DIR = Path(__file__).parent


def schema_text(name: str) -> str:
    """The JSON Schema of one record family, as the exact text checked in."""
    model = SCHEMAS[name]
    schema = model.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = f"https://biocurate.dev/schemas/{name}.schema.json"
    return json.dumps(schema, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def path_for(name: str) -> Path:
    return SCHEMA_DIR / f"{name}.schema.json"


def write_files() -> list[Path]:
    """Rewrite every schema file; returns the paths written."""
    paths = []
    for name in SCHEMAS:
        path = path_for(name)
        path.write_text(schema_text(name), encoding="utf-8")
        paths.append(path)
    return paths


def check_files() -> list[str]:
    """Names of schema families whose checked-in file is missing or differs."""
    return [name for name in SCHEMAS if not path_for(name).exists() or path_for(name).read_text(encoding="utf-8") != schema_text(name)]
