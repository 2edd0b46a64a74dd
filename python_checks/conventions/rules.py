"""The project's conventions as dbt-score rules (STYLE.md, docs/decisions.md).

Every rule is critical: one violation scores its model or exposure 0, and `dbt-score lint` (with
fail_any_item_under = 10 in pyproject.toml) exits 1 naming the model, the rule and what to change.
A model's layer is its folder under models/. Folder patterns in the settings are paths under
models/ in which `*` stands for one folder (`staging/*/base` = models/staging/<source>/base/);
the longest matching pattern wins. A documented exception names a model, or a folder pattern
(with a `/`), and gives the reason; an exception without a reason is itself a violation.
"""

# No `from __future__ import annotations`: dbt-score reads each rule's annotations at import.

import functools
from collections.abc import Callable, Mapping, Sequence
from pathlib import PurePosixPath
from typing import ParamSpec

from dbt_score import Exposure, Model, RuleViolation, Severity, rule

# Test names that prove a model's grain (dbt-project-evaluator's primary_key_test_macros): unique
# + not_null on one column, or the project's unique_combination_of_columns (tests/generic/).
UNIQUE_COMBINATION_TEST = "unique_combination_of_columns"
# The name prefix of a model may be its own folder's name: `{folder}__` in models/staging/crm/
# connectors/fivetran_salesforce/ stands for `fivetran_salesforce__`.
FOLDER_TOKEN = "{folder}"

P = ParamSpec("P")


def fails_on_error(
    check: Callable[P, RuleViolation | None],
) -> Callable[P, RuleViolation | None]:
    """A rule that raises becomes a violation: dbt-score would otherwise score it as passed."""

    @functools.wraps(check)
    def checked(*args: P.args, **kwargs: P.kwargs) -> RuleViolation | None:
        try:
            return check(*args, **kwargs)
        except Exception as error:
            return RuleViolation(message=f"rule {check.__name__} failed: {error!r}")

    return checked


def model_folder(model: Model) -> tuple[str, ...]:
    """The model's folders under models/ (models/marts/reporting/x.sql -> ("marts", "reporting"))."""
    parts = PurePosixPath(model.original_file_path).parts
    return tuple(parts[1:-1]) if parts and parts[0] == "models" else tuple(parts[:-1])


def _pattern_matches(pattern: str, folder: tuple[str, ...]) -> bool:
    segments = tuple(segment for segment in pattern.split("/") if segment)
    return len(segments) <= len(folder) and all(
        wanted in ("*", actual) for wanted, actual in zip(segments, folder, strict=False)
    )


def most_specific(patterns: Sequence[str], folder: tuple[str, ...]) -> str | None:
    """The longest folder pattern that contains `folder`, if any."""
    matching = [pattern for pattern in patterns if _pattern_matches(pattern, folder)]
    return max(matching, key=lambda pattern: pattern.count("/") + 1, default=None)


def exception_for(model: Model, exceptions: Mapping[str, str] | None) -> str | None:
    """The documented reason a model is exempt (by name, then by folder pattern), if it is."""
    if not exceptions:
        return None
    if model.name in exceptions:
        return exceptions[model.name]
    pattern = most_specific([key for key in exceptions if "/" in key], model_folder(model))
    return exceptions[pattern] if pattern is not None else None


def _unreasoned(model: Model, exceptions: Mapping[str, str] | None) -> RuleViolation | None:
    reason = exception_for(model, exceptions)
    if reason is not None and not str(reason).strip():
        return RuleViolation(
            message=f"the exception for {model.name} in pyproject.toml gives no reason."
        )
    return None


def _layer_setting(model: Model, settings: Mapping[str, Sequence[str]] | None) -> str | None:
    return most_specific(list(settings or {}), model_folder(model))


@rule(severity=Severity.CRITICAL)
@fails_on_error
def model_has_description(model: Model) -> RuleViolation | None:
    """A model has a description in its yml (what it answers and its grain)."""
    if not model.description.strip():
        return RuleViolation(
            message=f"{model.original_file_path}: no description in its yml (patch {model.patch_path})."
        )
    return None


@rule(severity=Severity.CRITICAL)
@fails_on_error
def model_has_primary_key_test(
    model: Model, exceptions: dict[str, str] | None = None
) -> RuleViolation | None:
    """A model tests its grain: unique + not_null on one column, or unique_combination_of_columns."""
    if (unreasoned := _unreasoned(model, exceptions)) is not None:
        return unreasoned
    if exception_for(model, exceptions) is not None:
        return None
    for column in model.columns:
        types = {test.type for test in column.tests}
        if {"unique", "not_null"} <= types:
            return None
    if any(test.type == UNIQUE_COMBINATION_TEST for test in model.tests):
        return None
    return RuleViolation(
        message=(
            f"{model.name} has no primary-key test: add unique + not_null on its key column, or "
            f"{UNIQUE_COMBINATION_TEST} on its key columns, in its yml."
        )
    )


@rule(severity=Severity.CRITICAL)
@fails_on_error
def model_name_has_layer_prefix(
    model: Model, prefixes: dict[str, list[str]] | None = None
) -> RuleViolation | None:
    """A model's name starts with a prefix of its folder (stg_ in staging, int_ in intermediate…)."""
    folder = model_folder(model)
    setting = _layer_setting(model, prefixes)
    if setting is None or prefixes is None:
        return RuleViolation(
            message=(
                f"{model.original_file_path} is in no folder with name prefixes "
                "([tool.dbt-score.rules…model_name_has_layer_prefix] prefixes in pyproject.toml)."
            )
        )
    allowed = [prefix.replace(FOLDER_TOKEN, folder[-1]) for prefix in prefixes[setting]]
    if not model.name.startswith(tuple(allowed)):
        return RuleViolation(
            message=(
                f"{model.name} in models/{'/'.join(folder)}/ should start with "
                f"{' or '.join(allowed)} (folder rule '{setting}')."
            )
        )
    return None


@rule(severity=Severity.CRITICAL)
@fails_on_error
def model_access_matches_layer(
    model: Model, public_folders: list[str] | None = None
) -> RuleViolation | None:
    """A model belongs to a group; marts are public, every other model is private."""
    if not model.group:
        return RuleViolation(message=f"{model.name} belongs to no group (models/_groups.yml).")
    public = most_specific(public_folders or [], model_folder(model)) is not None
    expected = "public" if public else "private"
    if model.access != expected:
        return RuleViolation(
            message=(
                f"{model.name} has access {model.access}; models in models/"
                f"{'/'.join(model_folder(model))}/ are {expected} (+access in dbt_project.yml)."
            )
        )
    return None


@rule(severity=Severity.CRITICAL)
@fails_on_error
def public_model_has_enforced_contract(model: Model) -> RuleViolation | None:
    """A public model enforces its contract (column names and types are the interface)."""
    contract = model.config.get("contract") or {}
    if model.access == "public" and not contract.get("enforced"):
        return RuleViolation(
            message=f"{model.name} is public without an enforced contract (config contract.enforced)."
        )
    return None


@rule(severity=Severity.CRITICAL)
@fails_on_error
def model_has_few_parents(
    model: Model, max_parents: int = 7, exceptions: dict[str, str] | None = None
) -> RuleViolation | None:
    """A model joins at most max_parents models, sources and seeds, unless documented."""
    if (unreasoned := _unreasoned(model, exceptions)) is not None:
        return unreasoned
    parents = sorted({parent.unique_id.split(".")[-1] for parent in model.parents})
    if len(parents) > max_parents and exception_for(model, exceptions) is None:
        return RuleViolation(
            message=(
                f"{model.name} reads {len(parents)} parents (> {max_parents}): "
                f"{', '.join(parents)}. Split it, or document why in the rule's exceptions."
            )
        )
    return None


def _node_name(node: object) -> str:
    return str(getattr(node, "unique_id", "")).split(".")[-1]


@rule(severity=Severity.CRITICAL)
@fails_on_error
def model_does_not_rejoin_upstream_concepts(
    model: Model,
    exceptions: dict[str, str] | None = None,
    shared_parents: dict[str, str] | None = None,
) -> RuleViolation | None:
    """A model does not join a parent with that parent's own parent when it is the parent's only
    model child (dbt-project-evaluator's rejoining of upstream concepts; exposures do not count):
    the step in between belongs in the model. Shared parents (bookkeeping every model may read)
    do not count; each needs a reason."""
    if (unreasoned := _unreasoned(model, exceptions)) is not None:
        return unreasoned
    blank = sorted(
        name for name, reason in (shared_parents or {}).items() if not str(reason).strip()
    )
    if blank:
        return RuleViolation(
            message=f"the shared parents {', '.join(blank)} in pyproject.toml give no reason."
        )
    shared = set(shared_parents or {})
    parents = {_node_name(parent) for parent in model.parents}
    rejoined = sorted(
        f"{_node_name(upstream)} -> {between.name} -> {model.name}"
        for between in model.parents
        if isinstance(between, Model)
        and [_node_name(child) for child in between.children if isinstance(child, Model)]
        == [model.name]
        for upstream in between.parents
        if _node_name(upstream) in parents and _node_name(upstream) not in shared
    )
    if rejoined and exception_for(model, exceptions) is None:
        return RuleViolation(
            message=(
                f"{model.name} re-joins an upstream concept through its only-child parent: "
                f"{'; '.join(rejoined)}. Fold the step in between into {model.name}, or document "
                "why in the rule's exceptions."
            )
        )
    return None


@rule(severity=Severity.CRITICAL)
@fails_on_error
def exposure_depends_on_public_models(exposure: Exposure) -> RuleViolation | None:
    """An exposure reads only public models (the marts), never private ones or sources."""
    not_public = sorted(
        parent.name for parent in exposure.parents if getattr(parent, "access", None) != "public"
    )
    if not_public:
        return RuleViolation(
            message=f"exposure {exposure.name} depends on non-public {', '.join(not_public)}."
        )
    return None
