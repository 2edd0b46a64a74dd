"""Benchmark of the dbt build: raw load, full build, build with tests, a daily incremental run and
a hand-written DuckDB floor, each timed by wall clock with its peak memory (`make bench`)."""
