"""Connector shapes of the sample data: the same simulated world as the connectors land it.

`python -m python_checks.generate --shape connectors` generates the contract shape and then
reshapes each source with the module registered for its connector: one module per connector in
this package (`<connector>.py`) with `reshape(contract_dir, out_dir)`, which reads
`contract_dir/<source>/<table>/*.parquet` and writes `out_dir/<source>/<connector table>/*.parquet`
(one file per contract batch file). A source without a registered module is copied in the
contract shape. `_connectors.json` in the output says which shape each source is in: it is the
value of the dbt var `connectors` that builds it.
"""

from __future__ import annotations

import dataclasses
import importlib
import json
import shutil
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path
from types import MappingProxyType

from ..config import GenerateConfig
from ..generator import GenerateResult, generate
from ..writer import reset_folder

Reshaper = Callable[[Path, Path], None]

SHAPES: tuple[str, ...] = ("contract", "connectors")
CONNECTORS_FILE = "_connectors.json"

# The connector each source is reshaped into (dbt var `connectors`, docs/connectors.md).
CONNECTOR_OF_SOURCE: Mapping[str, str] = MappingProxyType(
    {
        "crm": "fivetran_salesforce",
        "support": "fivetran_zendesk",
        "billing": "fivetran_stripe",
        "product": "segment",
        "survey": "survey_tool",
    }
)


class ReshapeError(RuntimeError):
    """A contract data set that cannot be reshaped (names the folder)."""


def registered_reshapers() -> dict[str, Reshaper]:
    """The reshaper of every source whose connector module exists in this package."""
    found: dict[str, Reshaper] = {}
    for source, connector in CONNECTOR_OF_SOURCE.items():
        try:
            module = importlib.import_module(f"{__name__}.{connector}")
        except ModuleNotFoundError as exc:
            if exc.name == f"{__name__}.{connector}":
                continue
            raise
        reshape = getattr(module, "reshape", None)
        if not callable(reshape):
            raise ReshapeError(f"{module.__file__} has no reshape(contract_dir, out_dir) function")
        found[source] = reshape
    return found


def reshape_all(contract_dir: Path, out_dir: Path) -> dict[str, str]:
    """Write `contract_dir` in connector shape to `out_dir`; returns the `connectors` setting."""
    if not contract_dir.is_dir():
        raise ReshapeError(f"no contract-shaped data in {contract_dir}")
    reshapers = registered_reshapers()
    selected: dict[str, str] = {}
    for source in CONNECTOR_OF_SOURCE:
        source_dir = contract_dir / source
        if not source_dir.is_dir():
            raise ReshapeError(f"{source_dir}: missing source folder")
        if source in reshapers:
            reshapers[source](contract_dir, out_dir)
            selected[source] = CONNECTOR_OF_SOURCE[source]
        else:
            shutil.copytree(source_dir, out_dir / source)
            selected[source] = "contract"
    contract_file = contract_dir / "_contract.json"
    if contract_file.exists():
        shutil.copyfile(contract_file, out_dir / "_contract.json")
    (out_dir / CONNECTORS_FILE).write_text(json.dumps(selected, indent=2) + "\n")
    return selected


def read_connectors_setting(raw_dir: Path) -> dict[str, str]:
    """The `connectors` var a reshaped folder needs (all contract when it has no such file)."""
    path = raw_dir / CONNECTORS_FILE
    if not path.exists():
        return dict.fromkeys(CONNECTOR_OF_SOURCE, "contract")
    return dict(json.loads(path.read_text()))


def generate_in_shape(config: GenerateConfig, shape: str) -> GenerateResult:
    """Generate `config` in `shape`: the contract shape as is, or reshaped per connector (the
    same seed gives the same customers in both)."""
    if shape not in SHAPES:
        raise ReshapeError(f"unknown shape {shape!r}; shapes: {', '.join(SHAPES)}")
    if shape == "contract":
        return generate(config)
    with tempfile.TemporaryDirectory(prefix="contract_shape_") as scratch:
        contract_dir = Path(scratch) / "raw"
        result = generate(dataclasses.replace(config, out=contract_dir))
        reset_folder(config.out)
        reshape_all(contract_dir, config.out)
    return dataclasses.replace(result, out=config.out)
