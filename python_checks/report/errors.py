"""The one error the report raises: it could not be written, and why (file, table, column)."""


class ReportError(Exception):
    """The report could not be built from the given database or settings."""
