"""`python -m python_checks.publish`: serve the last complete build to BI tools.

DuckDB lets one process write a database file or many processes read it, never both. The dbt
build therefore writes its own file (``build/dev.duckdb``) and, after it passed, `publish`
copies that file into ``build/serve/health.duckdb`` and swaps it in with an atomic rename, and
exports the marts to Parquet behind an atomically repointed ``parquet/current`` link. Readers
never lock the build database, and a build that dies midway changes nothing they see.
"""

from python_checks.publish.layout import ServeLayout
from python_checks.publish.publisher import Published, PublishError, publish

__all__ = ["PublishError", "Published", "ServeLayout", "publish"]
