"""Deliver the alerts of marts.fct_health_alerts: a chat webhook and per-owner digest files.

`python -m python_checks.alerts deliver --database <served db> --state-dir <dir>` sends each new
alert once (Slack-style JSON) and writes a digest per account owner; the state folder remembers
what went out, so a re-run sends nothing twice and a failed send is retried on the next run.
"""
