"""`make docs` gives a page that opens from disk: manifest and catalog inside the one HTML file."""

from __future__ import annotations

import json
import re
from pathlib import Path

from python_checks.build_fixtures import Build

# dbt's plain index.html loads manifest.json and catalog.json over HTTP, which browsers block for
# file:// pages; the static page carries both inline as object literals in its script.
INLINE_DATA = re.compile(r'(manifest|catalog):\{"metadata": \{"dbt_schema_version"')


def test_static_docs_page_carries_the_project(sample_build: Build, tmp_path: Path) -> None:
    work = sample_build.copy(tmp_path)
    result = work.dbt(["docs", "generate", "--static"])
    assert result.ok, result.output[-3000:]
    page = work.work_dir / "target" / "static_index.html"
    assert page.is_file(), "dbt docs generate --static wrote no static_index.html"
    html = page.read_text(encoding="utf-8")
    manifest = json.loads((work.work_dir / "target" / "manifest.json").read_text())
    marts = [
        node["name"]
        for node in manifest["nodes"].values()
        if node["resource_type"] == "model" and node["fqn"][1] == "marts"
    ]
    assert marts, "the manifest lists no mart models"
    for name in marts:
        assert f"model.customer_health.{name}" in html, f"{name} is not inside the static page"
    inline = {match.group(1) for match in INLINE_DATA.finditer(html)}
    assert inline == {"manifest", "catalog"}, f"inline in the page: {sorted(inline)}"
