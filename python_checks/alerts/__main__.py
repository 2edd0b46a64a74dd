"""Deliver new health alerts to a chat webhook and per-owner digest files, each exactly once.

Exit codes: 0 = everything due was delivered (or nothing was due); 1 = a send failed (the
alerts stay pending and the next run retries them); 2 = the run could not start (a setting,
the database or the state folder; nothing was sent).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from python_checks.alerts import settings as cfg
from python_checks.alerts.deliver import deliver, failure_lines, report_lines
from python_checks.alerts.errors import AlertsError

EXIT_OK = 0
EXIT_SEND_FAILED = 1
EXIT_CANNOT_RUN = 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m python_checks.alerts",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser(
        "deliver",
        help="deliver the alerts that are due",
        description="Deliver the alerts that are due. Options fall back to the environment"
        " variable in brackets.",
    )
    run.add_argument(
        "--database",
        type=Path,
        required=True,
        help="the served database (build/serve/health.duckdb), opened read-only;"
        " reads marts.fct_health_alerts, marts.dim_account_health and publish.build_info",
    )
    run.add_argument(
        "--state-dir",
        type=Path,
        required=True,
        help="folder of the delivery state (delivery_state.json) and its lock; keep it"
        " between runs: without it the next run is a first run again",
    )
    run.add_argument(
        "--webhook-url",
        help="Slack-style incoming webhook to POST each alert to [ALERT_WEBHOOK_URL];"
        " prefer the variable: the URL is a secret",
    )
    run.add_argument(
        "--digest-dir",
        type=Path,
        help="where per-owner digests go, one folder per run [ALERT_DIGEST_DIR];"
        " default: <state-dir>/digests",
    )
    run.add_argument(
        "--no-digest", action="store_true", help="write no digest files (webhook only)"
    )
    run.add_argument(
        "--link-template",
        help="account link, e.g. https://crm.example.com/accounts/{account_id}"
        " (also {alert_id}) [ALERT_LINK_TEMPLATE]; no link when unset",
    )
    run.add_argument(
        "--first-run-days",
        help="on a channel's first run, deliver only alerts raised in the last N days up to"
        f" the build's as-of date [ALERT_FIRST_RUN_DAYS] (default {cfg.DEFAULT_FIRST_RUN_DAYS})",
    )
    run.add_argument(
        "--window-days",
        help="later runs look for new alerts raised in the last N days [ALERT_WINDOW_DAYS]"
        f" (default {cfg.DEFAULT_WINDOW_DAYS}, at most {cfg.MAX_WINDOW_DAYS})",
    )
    run.add_argument(
        "--max-sends",
        help="webhook messages per run at most; the rest stay pending [ALERT_MAX_SENDS]"
        f" (default {cfg.DEFAULT_MAX_SENDS}, at most {cfg.MAX_SENDS_LIMIT})",
    )
    run.add_argument(
        "--timeout",
        help="seconds to wait for the webhook per message [ALERT_WEBHOOK_TIMEOUT]"
        f" (default {cfg.DEFAULT_TIMEOUT_SECONDS:g}, at most {cfg.MAX_TIMEOUT_SECONDS:g})",
    )
    run.add_argument(
        "--send-interval",
        help="seconds between two webhook messages [ALERT_SEND_INTERVAL]"
        f" (default {cfg.DEFAULT_SEND_INTERVAL_SECONDS:g}: Slack accepts about one a second)",
    )
    run.add_argument(
        "--json", action="store_true", help="print the run's report as one JSON object"
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        settings = cfg.resolve(
            database=args.database,
            state_dir=args.state_dir,
            webhook_url=args.webhook_url,
            digest_dir=args.digest_dir,
            no_digest=args.no_digest,
            link_template=args.link_template,
            first_run_days=args.first_run_days,
            window_days=args.window_days,
            max_sends=args.max_sends,
            timeout=args.timeout,
            send_interval=args.send_interval,
        )
        report = deliver(settings)
    except AlertsError as exc:
        print(f"alerts: {exc}", file=sys.stderr)
        return EXIT_CANNOT_RUN
    if args.json:
        print(json.dumps(report.as_json(), sort_keys=True))
    else:
        print("\n".join(report_lines(report, settings.database)))
    failures = failure_lines(report)
    for line in failures:
        print(f"alerts: {line}", file=sys.stderr)
    return EXIT_SEND_FAILED if failures else EXIT_OK


if __name__ == "__main__":
    raise SystemExit(main())
