"""The convention check (`make conventions`: dbt-score with python_checks/conventions/rules.py)
passes the project's manifest and fails a manifest that breaks any one convention, naming it."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from dbt_score import Model, Rule
from dbt_score.cli import cli

from python_checks.conventions.rules import (
    model_does_not_rejoin_upstream_concepts,
    model_has_few_parents,
    model_has_primary_key_test,
)
from python_checks.dbt_runner import PROJECT_DIR, run_dbt

PROJECT = "customer_health"
Manifest = dict[str, Any]


def _model(
    name: str,
    folder: str,
    *,
    access: str = "private",
    parents: tuple[str, ...] = (),
    contract: bool = False,
) -> dict[str, Any]:
    """A model node with the fields dbt-score reads, as dbt 1.11 writes them."""
    return {
        "resource_type": "model",
        "unique_id": f"model.{PROJECT}.{name}",
        "name": name,
        "package_name": PROJECT,
        "original_file_path": f"models/{folder}/{name}.sql",
        "patch_path": f"{PROJECT}://models/{folder}/_models.yml",
        "description": f"{name}: one row per key.",
        "relation_name": f'"db"."main"."{name}"',
        "database": "db",
        "schema": "main",
        "alias": name,
        "raw_code": "select 1 as key_id",
        "language": "sql",
        "access": access,
        "group": PROJECT,
        "config": {"contract": {"enforced": contract}},
        "meta": {},
        "tags": [],
        "constraints": [],
        "columns": {
            "key_id": {
                "name": "key_id",
                "description": "The key.",
                "data_type": None,
                "meta": {},
                "constraints": [],
                "tags": [],
                "config": {},
            }
        },
        "depends_on": {"macros": [], "nodes": [f"model.{PROJECT}.{parent}" for parent in parents]},
    }


def _test(model_name: str, test_name: str, **kwargs: Any) -> dict[str, Any]:
    model_id = f"model.{PROJECT}.{model_name}"
    return {
        "resource_type": "test",
        "unique_id": f"test.{PROJECT}.{test_name}_{model_name}",
        "name": f"{test_name}_{model_name}",
        "package_name": PROJECT,
        "test_metadata": {"name": test_name, "kwargs": kwargs},
        "tags": [],
        "attached_node": model_id,
        "depends_on": {"macros": [], "nodes": [model_id]},
    }


def conforming_manifest() -> Manifest:
    """A small project that follows every convention: one model per layer and folder."""
    models = [
        _model("stg_crm__account", "staging/crm"),
        _model("base_crm__account", "staging/crm/base"),
        _model("quarantine_crm", "staging/crm", parents=("base_crm__account",)),
        _model("fivetran_salesforce__account", "staging/crm/connectors/fivetran_salesforce"),
        _model("int_accounts", "intermediate/accounts", parents=("stg_crm__account",)),
        _model("fct_build_counts", "monitoring", parents=("int_accounts",)),
        _model("dim_account", "marts", access="public", contract=True, parents=("int_accounts",)),
        _model(
            "rpt_accounts",
            "marts/reporting",
            access="public",
            contract=True,
            parents=("dim_account",),
        ),
    ]
    nodes = {model["unique_id"]: model for model in models}
    for model in models:
        if model["name"].startswith(("base_", "quarantine_")):
            test = _test(model["name"], "unique_combination_of_columns")
            test["test_metadata"]["kwargs"] = {"combination_of_columns": ["key_id", "_copy_rank"]}
            nodes[test["unique_id"]] = test
        elif not model["name"].startswith("fivetran_salesforce__"):
            for test_name in ("unique", "not_null"):
                test = _test(model["name"], test_name, column_name="key_id")
                nodes[test["unique_id"]] = test
    exposure = {
        "resource_type": "exposure",
        "unique_id": f"exposure.{PROJECT}.dashboard",
        "name": "dashboard",
        "package_name": PROJECT,
        "description": "The report.",
        "original_file_path": "models/marts/_exposures.yml",
        "type": "dashboard",
        "owner": {"name": "Analytics"},
        "config": {},
        "meta": {},
        "tags": [],
        "depends_on": {"macros": [], "nodes": [f"model.{PROJECT}.dim_account"]},
    }
    return {
        "metadata": {"project_name": PROJECT},
        "nodes": nodes,
        "sources": {},
        "exposures": {exposure["unique_id"]: exposure},
        "macros": {},
    }


def lint(manifest_path: Path, monkeypatch: pytest.MonkeyPatch, *options: str) -> Result:
    """`dbt-score lint` as `make conventions` runs it: from the project folder, so that
    pyproject.toml's settings apply (in-process: one interpreter start for all cases)."""
    monkeypatch.chdir(PROJECT_DIR)
    return CliRunner().invoke(cli, ["lint", "--manifest", str(manifest_path), *options])


def _write(manifest: Manifest, tmp_path: Path) -> Path:
    path = tmp_path / "manifest.json"
    path.write_text(json.dumps(manifest))
    return path


def _node(manifest: Manifest, name: str) -> dict[str, Any]:
    return manifest["nodes"][f"model.{PROJECT}.{name}"]


def _drop_tests(manifest: Manifest, name: str) -> None:
    model_id = f"model.{PROJECT}.{name}"
    for key in [
        k for k, node in manifest["nodes"].items() if node.get("attached_node") == model_id
    ]:
        del manifest["nodes"][key]


def _too_many_parents(manifest: Manifest) -> None:
    for index in range(8):
        parent = _model(f"int_part_{index}", "intermediate/parts")
        manifest["nodes"][parent["unique_id"]] = parent
        for test_name in ("unique", "not_null"):
            test = _test(parent["name"], test_name, column_name="key_id")
            manifest["nodes"][test["unique_id"]] = test
    _node(manifest, "int_accounts")["depends_on"]["nodes"] = [
        f"model.{PROJECT}.int_part_{index}" for index in range(8)
    ]


def _move(manifest: Manifest, name: str, folder: str) -> None:
    _node(manifest, name)["original_file_path"] = f"models/{folder}/{name}.sql"


# Each breaks one convention; the check must fail and name the model (or exposure) and the rule.
VIOLATIONS: dict[str, tuple[Callable[[Manifest], None], str, str]] = {
    "no description": (
        lambda m: _node(m, "int_accounts").update(description=""),
        "int_accounts",
        "model_has_description",
    ),
    "no primary-key test": (
        lambda m: _drop_tests(m, "stg_crm__account"),
        "stg_crm__account",
        "model_has_primary_key_test",
    ),
    "unique without not_null": (
        lambda m: m["nodes"].pop(f"test.{PROJECT}.not_null_int_accounts"),
        "int_accounts",
        "model_has_primary_key_test",
    ),
    "private mart": (
        lambda m: _node(m, "dim_account").update(access="private"),
        "dim_account",
        "model_access_matches_layer",
    ),
    "public intermediate model": (
        lambda m: _node(m, "int_accounts").update(access="public"),
        "int_accounts",
        "model_access_matches_layer",
    ),
    "protected staging model": (
        lambda m: _node(m, "stg_crm__account").update(access="protected"),
        "stg_crm__account",
        "model_access_matches_layer",
    ),
    "no group": (
        lambda m: _node(m, "quarantine_crm").update(group=None),
        "quarantine_crm",
        "model_access_matches_layer",
    ),
    "rpt_ outside marts/reporting": (
        lambda m: _move(m, "rpt_accounts", "marts"),
        "rpt_accounts",
        "model_name_has_layer_prefix",
    ),
    "stg_ in intermediate": (
        lambda m: _move(m, "stg_crm__account", "intermediate/accounts"),
        "stg_crm__account",
        "model_name_has_layer_prefix",
    ),
    "base_ outside base/": (
        lambda m: _move(m, "base_crm__account", "staging/crm"),
        "base_crm__account",
        "model_name_has_layer_prefix",
    ),
    "adapter not named after its connector": (
        lambda m: _move(m, "fivetran_salesforce__account", "staging/crm/connectors/segment"),
        "fivetran_salesforce__account",
        "model_name_has_layer_prefix",
    ),
    "model outside a layer folder": (
        lambda m: _move(m, "int_accounts", "scratch"),
        "int_accounts",
        "model_name_has_layer_prefix",
    ),
    "public model without a contract": (
        lambda m: _node(m, "rpt_accounts")["config"].update(contract={"enforced": False}),
        "rpt_accounts",
        "public_model_has_enforced_contract",
    ),
    "eight parents": (_too_many_parents, "int_accounts", "model_has_few_parents"),
    # dim_account's only child is rpt_accounts, which joins it with dim_account's own parent.
    "re-joined upstream concept": (
        lambda m: _node(m, "rpt_accounts")["depends_on"]["nodes"].append(
            f"model.{PROJECT}.int_accounts"
        ),
        "rpt_accounts",
        "model_does_not_rejoin_upstream_concepts",
    ),
    "exposure on a private model": (
        lambda m: m["exposures"][f"exposure.{PROJECT}.dashboard"]["depends_on"]["nodes"].append(
            f"model.{PROJECT}.int_accounts"
        ),
        "int_accounts",
        "exposure_depends_on_public_models",
    ),
}


def test_a_manifest_that_follows_the_conventions_passes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    result = lint(_write(conforming_manifest(), tmp_path), monkeypatch, "--show", "all")
    assert result.exit_code == 0, result.output
    # dbt-score scores a rule that raises as passed: every rule must have run on every item.
    assert "ERR" not in result.output, result.output
    for rule_name in {rule_name for _, _, rule_name in VIOLATIONS.values()}:
        assert rule_name in result.output, f"{rule_name} did not run:\n{result.output}"


@pytest.mark.parametrize("case", sorted(VIOLATIONS))
def test_each_broken_convention_fails_the_check_and_names_the_model(
    case: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    break_it, culprit, rule_name = VIOLATIONS[case]
    manifest = copy.deepcopy(conforming_manifest())
    break_it(manifest)
    result = lint(_write(manifest, tmp_path), monkeypatch)
    assert result.exit_code == 1, f"{case}: exit {result.exit_code}\n{result.output}"
    failing = [line for line in result.output.splitlines() if rule_name in line]
    assert failing, f"{case}: {rule_name} does not fail:\n{result.output}"
    assert any(culprit in line for line in failing), f"{case}: {culprit} not named:\n{failing}"


def _wide_untested_model() -> Model:
    """A model that breaks both rules that take exceptions: no key test, eight parents."""
    model = Model.from_node(_model("int_wide", "intermediate/wide"), [])
    model.parents = [
        Model.from_node(_model(f"int_part_{index}", "intermediate/parts"), []) for index in range(8)
    ]
    return model


@pytest.mark.parametrize("rule_class", [model_has_primary_key_test, model_has_few_parents])
def test_an_exception_excuses_a_model_only_with_a_reason(rule_class: type[Rule]) -> None:
    model, rule = _wide_untested_model(), rule_class()
    assert rule.evaluate(model, exceptions={}) is not None
    for reasoned in (
        {"int_wide": "Reads every system on purpose."},
        {"intermediate/*": "Pending."},
    ):
        assert rule.evaluate(model, exceptions=reasoned) is None, reasoned
    for blank in ({"int_wide": " "}, {"intermediate/wide": ""}):
        violation = rule.evaluate(model, exceptions=blank)
        assert violation is not None and "gives no reason" in str(violation.message), blank


def test_a_shared_parent_may_be_rejoined_only_with_a_reason() -> None:
    """int_signals re-joins int_config through int_facts (its only child): a violation unless
    int_config is a shared parent with a reason, or int_signals an exception."""
    config = Model.from_node(_model("int_config", "intermediate/config"), [])
    facts = Model.from_node(_model("int_facts", "intermediate/facts", parents=("int_config",)), [])
    signals = Model.from_node(_model("int_signals", "intermediate/signals"), [])
    facts.parents, facts.children = [config], [signals]
    signals.parents = [facts, config]
    rule = model_does_not_rejoin_upstream_concepts()
    violation = rule.evaluate(signals, exceptions={}, shared_parents={})
    assert violation is not None and "int_config -> int_facts -> int_signals" in str(
        violation.message
    )
    assert rule.evaluate(signals, exceptions={}, shared_parents={"int_config": "A hash."}) is None
    assert (
        rule.evaluate(signals, exceptions={"int_signals": "On purpose."}, shared_parents={}) is None
    )
    blank = rule.evaluate(signals, exceptions={}, shared_parents={"int_config": " "})
    assert blank is not None and "give no reason" in str(blank.message)
    # A second model child of int_facts: int_facts is a concept of its own, nothing to fold.
    facts.children = [signals, Model.from_node(_model("int_other", "intermediate/other"), [])]
    assert rule.evaluate(signals, exceptions={}, shared_parents={}) is None


@pytest.mark.build
def test_the_project_manifest_follows_the_conventions(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What `make conventions` checks, with the exceptions pyproject.toml documents."""
    parsed = run_dbt(
        ["parse"], raw_dir=tmp_path / "raw", db_path=tmp_path / "parse.duckdb", work_dir=tmp_path
    )
    assert parsed.ok, parsed.output[-3000:]
    result = lint(tmp_path / "target" / "manifest.json", monkeypatch)
    assert result.exit_code == 0, result.output[-5000:]
