"""No DuckDB-only SQL outside an engine-specific macro (issue 17; python_checks/portable_sql.py)."""

from __future__ import annotations

from python_checks.portable_sql import (
    ALLOWED_TO_PORT,
    PROJECT_DIR,
    is_allowed,
    scan_project,
    scan_text,
)


def test_no_duckdb_only_construct_outside_engine_macros() -> None:
    failing = [finding for finding in scan_project() if not is_allowed(finding)]
    assert not failing, (
        "DuckDB-only SQL outside a duckdb__/postgres__ macro (put it behind adapter.dispatch in "
        "macros/cross_db/, or write it portably):\n" + "\n".join(str(f) for f in failing)
    )


def test_to_port_allow_list_is_not_stale() -> None:
    """Each to-port entry exists and still has a finding; a ported file leaves the list."""
    findings = scan_project()
    for entry in ALLOWED_TO_PORT:
        assert (PROJECT_DIR / entry).exists(), f"ALLOWED_TO_PORT names {entry}, which is gone"
        assert any(f.path.startswith(entry) for f in findings), (
            f"{entry} is ported (no DuckDB-only construct left): remove it from ALLOWED_TO_PORT"
        )


def test_scan_finds_constructs_with_file_and_line() -> None:
    text = "\n".join(
        [
            "select *",  # 1
            "from t",  # 2
            "qualify row_number() over (partition by a order by b) = 1",  # 3
            "union all by name",  # 4
            "select arg_max(a, b), cast(x as double), greatest(a, b), x::int from t",  # 5
            "select round(x, 2), round(y) from t",  # 6
            "select unnest(range(0, 10)) as n",  # 7
            "sum(x) over (order by d range between interval 1 day preceding and current row)",  # 8
        ]
    )
    found = {(f.line, f.construct) for f in scan_text("models/m.sql", text)}
    assert {
        (3, "qualify"),
        (4, "union by name"),
        (5, "arg_max/arg_min"),
        (5, "double"),
        (5, "greatest/least"),
        (5, ":: cast"),
        (6, "round(x, n)"),
        (7, "range"),
    } <= found
    assert not {line for line, _ in found} & {1, 2}
    # A window frame's `range between` is portable SQL, not the list function.
    assert (8, "range") not in found


def test_scan_skips_engine_macros_comments_jinja_and_marked_lines() -> None:
    text = "\n".join(
        [
            "{% macro duckdb__thing(x) -%}",
            "    list_sort(list(x)) qualify true",
            "{%- endmacro %}",
            "{% macro default__thing(x) -%}",
            "    greatest({{ x }}) {#- portable: no nulls -#}",
            "    median(x)",
            "{%- endmacro %}",
            "select 1 -- a qualify in a comment",
            "select {{ regexp_like('x', 'a') }} as y, 'json_extract(' as s",
            "select double_count from t",
            "select cast(x as double precision) from t",
        ]
    )
    found = [(f.line, f.construct) for f in scan_text("macros/m.sql", text)]
    assert found == [(6, "median/quantile")]
