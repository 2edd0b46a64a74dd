"""Great Expectations suites on the marts (`python -m python_checks.gx_suites --help`).

- suites.py: the expectation suites, in code; the alert-volume bounds and why.
- frames.py: the DataFrames they validate (marts read from DuckDB, and derived frames).
- seeds.py: bands and alert rules read from the seed CSVs.
- run.py: run the suites on a build database, summarise, write Data Docs.
- drift.py: score drift against a previous build (reported, not failed).
"""
