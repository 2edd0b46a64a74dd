"""Calibrate the health weights on the back-test: propose a new weight set per lifecycle stage.

`python -m python_checks.calibrate --database build/dev.duckdb --out build/calibration` fits, per
stage, non-negative weights summing to 1 for a logistic model of churn within the horizon on the
composite score (computed exactly as the project does: missing signals leave their weight to the
present ones), regularised towards the weights in force. It fits on the older back-test snapshots,
evaluates on the newest ones, and writes `health_weights_proposed.csv` (the seed's format) and
`calibration_report.md`. It never writes into seeds/: adopting a proposal is a reviewed change.
"""
