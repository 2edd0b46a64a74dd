"""`python -m python_checks.publish`: serve the last complete build to BI tools.

DuckDB lets one process write a database file or many processes read it, never both. The dbt
build therefore writes its own file (``build/dev.duckdb``) and, after it passed, `publish`
writes a new ``build/serve/health.duckdb`` from it (the marts, the seeds that explain a score and
``publish.build_info``; no staging, no intermediate, no personal data; in a storage version
DuckDB 1.x clients read) and swaps it in with an atomic rename, and exports the marts and the
CRM export of today's scores behind an atomically repointed ``parquet/current`` link. Readers
never lock the build database, and a build that dies midway changes nothing they see.
"""

from python_checks.publish.layout import ServeLayout
from python_checks.publish.publisher import Published, PublishError, publish

__all__ = ["PublishError", "Published", "ServeLayout", "publish"]
