"""`python -m python_checks.report`: a self-contained HTML health report for CS leaders.

It reads the published database (``build/serve/health.duckdb``) read-only, and only what a
publish serves: the ``marts`` schema, the ``config`` seeds when they are there, and
``publish.build_info``. The plotting library's JavaScript is embedded in the page, so the file
opens anywhere without a network.
"""

from python_checks.report.errors import ReportError
from python_checks.report.page import write_report

__all__ = ["ReportError", "write_report"]
