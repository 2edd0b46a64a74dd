"""The project's conventions, checked on dbt's manifest by dbt-score (`make conventions`).

The rules are in `rules.py`; pyproject.toml ([tool.dbt-score]) runs only them, fails on any
violation, and holds each rule's settings and its documented exceptions.
"""
