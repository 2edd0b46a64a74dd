"""Alert delivery: each alert once to a webhook and to per-owner digests, failures retried.

Most tests deliver from synthetic mart tables in a temporary DuckDB file (the columns the
served database has) to a local webhook on 127.0.0.1 (python_checks/webhook_fixture.py); the
last one delivers from the 160-account sample build.
"""

from __future__ import annotations

import fcntl
import json
import os
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import duckdb
import pytest

from python_checks.alerts.__main__ import EXIT_CANNOT_RUN, EXIT_OK, EXIT_SEND_FAILED, main
from python_checks.alerts.state import LOCK_FILE, STATE_FILE
from python_checks.build_fixtures import Build
from python_checks.dbt_runner import PROJECT_DIR
from python_checks.webhook_fixture import WebhookServer

AS_OF = date(2026, 10, 31)
LINK = "https://crm.example.com/accounts/{account_id}"
EMAIL = "jane.doe@customer-example.com"


@dataclass(frozen=True)
class FakeAlert:
    alert_id: str
    account_id: str
    days_before: int
    alert_type: str
    severity: str
    health_score: float


# Accounts: id, name, owner, current score, band, drivers_down, action, action reason.
ACCOUNTS = [
    (
        "acc-1",
        "Aurora Energy",
        "owner-a",
        38.5,
        "unhealthy",
        "nps 2.0 (-6.1); csm_touches 0.0 (-2.9)",
        "executive_escalation",
        "Escalate to the executive sponsor",
    ),
    (
        "acc-2",
        "Cedar Capital",
        "owner-a",
        55.0,
        "neutral",
        "feature_breadth 2.0 (-2.3)",
        "adoption_nudge",
        "Nudge adoption",
    ),
    ("acc-3", "Meridian Motors", "owner-b", 47.2, "neutral", None, "adoption_nudge", None),
    (
        "acc-4",
        "Old Account",
        "owner-b",
        70.0,
        "healthy",
        "upsell_won 0.0 (-1.4)",
        "expansion_outreach",
        "Expansion conversation",
    ),
]
# On the as-of day: three alerts (two owners); earlier ones inside and outside the window.
ALERTS = [
    FakeAlert("al-warn-1", "acc-1", 0, "score_below_threshold", "warning", 38.5),
    FakeAlert("al-crit-3", "acc-3", 0, "critical_flag_raised", "critical", 47.2),
    FakeAlert("al-high-2", "acc-2", 0, "band_downgrade", "high", 55.0),
    FakeAlert("al-old-4", "acc-4", 3, "score_drop", "high", 61.0),
    FakeAlert("al-ancient-4", "acc-4", 400, "band_downgrade", "high", 40.0),
]


def _create(database: Path, alerts: list[FakeAlert], accounts: list[tuple] = ACCOUNTS) -> None:
    con = duckdb.connect(str(database))
    try:
        con.execute("create schema if not exists marts")
        con.execute("create schema if not exists publish")
        con.execute(
            "create or replace table marts.fct_health_alerts (alert_id varchar, account_id varchar,"
            " alerted_on date, alert_type varchar, severity varchar, health_score double,"
            " alert_message varchar, top_driver_down varchar, lifecycle_stage varchar,"
            " customer_tier varchar)"
        )
        con.execute(
            "create or replace table marts.dim_account_health (account_id varchar,"
            " account_name varchar, owner_user_id varchar, scored_on date, health_score double,"
            " health_band varchar, drivers_down varchar, recommended_action varchar,"
            " action_reason varchar)"
        )
        con.execute(
            "create or replace table publish.build_info as select 'build-1' as build_id,"
            " ?::date as as_of",
            [AS_OF],
        )
        for alert in alerts:
            con.execute(
                "insert into marts.fct_health_alerts values (?, ?, ?, ?, ?, ?, ?, ?, 'adoption', 'SMB')",
                [
                    alert.alert_id,
                    alert.account_id,
                    AS_OF - timedelta(days=alert.days_before),
                    alert.alert_type,
                    alert.severity,
                    alert.health_score,
                    f"{alert.alert_type} on {alert.account_id}",
                    "days_since_qbr",
                ],
            )
        for row in accounts:
            con.execute(
                "insert into marts.dim_account_health values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [row[0], row[1], row[2], AS_OF, *row[3:]],
            )
    finally:
        con.close()


@pytest.fixture(autouse=True)
def _no_alert_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in list(os.environ):
        if name.startswith("ALERT_"):
            monkeypatch.delenv(name)


@pytest.fixture
def served(tmp_path: Path) -> Path:
    database = tmp_path / "health.duckdb"
    _create(database, ALERTS)
    return database


def _deliver(database: Path, state: Path, *extra: str) -> int:
    return main(
        [
            "deliver",
            "--database",
            str(database),
            "--state-dir",
            str(state),
            "--send-interval",
            "0",
            "--timeout",
            "0.5",
            *extra,
        ]
    )


def _fields(payload: dict) -> dict[str, str]:
    """The section fields of a message as {label: value}."""
    section = next(block for block in payload["blocks"] if "fields" in block)
    pairs = (field["text"].split("\n", 1) for field in section["fields"])
    return {label.strip("*"): value for label, value in pairs}


def _records(state: Path, channel: str) -> dict[str, dict]:
    return json.loads((state / STATE_FILE).read_text())["channels"][channel]["records"]


def test_each_new_alert_is_sent_once_with_the_expected_json(served: Path, tmp_path: Path) -> None:
    state = tmp_path / "state"
    with WebhookServer("ok") as server:
        code = _deliver(served, state, "--webhook-url", server.url, "--link-template", LINK)
        assert code == EXIT_OK
        got = server.received
        # Most severe first; only the as-of day's alerts on a first run.
        assert [_fields(m.payload)["Severity"] for m in got] == ["critical", "high", "warning"]
        assert all(m.content_type.startswith("application/json") for m in got)
        assert all(m.path == "/services/T000/B000/secret-token" for m in got)
        first = got[0].payload
        assert first["text"] == (
            "[critical] Meridian Motors (acc-3): critical_flag_raised on acc-3"
            " (score 47.2 on 2026-10-31; now 47.2 (neutral))"
        )
        assert first["blocks"][0] == {
            "type": "header",
            "text": {"type": "plain_text", "text": "Critical alert: Meridian Motors (acc-3)"},
        }
        # No drivers today: the alert day's top driver; no action reason: the action alone.
        assert _fields(first) == {
            "Account": "Meridian Motors (acc-3)",
            "Severity": "critical",
            "Score": "47.2 on 2026-10-31; now 47.2 (neutral)",
            "Top driver": "days_since_qbr",
            "Action": "adoption_nudge",
            "Owner": "owner-b",
            "Link": "<https://crm.example.com/accounts/acc-3|Open account>",
        }
        warning = _fields(got[2].payload)
        assert warning["Top driver"] == "nps 2.0 (-6.1)"
        assert warning["Action"] == "executive_escalation: Escalate to the executive sponsor"
        assert warning["Owner"] == "owner-a"

        # A re-run sends nothing.
        assert _deliver(served, state, "--webhook-url", server.url) == EXIT_OK
        assert len(server.received) == 3
        assert server.requests == 3
    records = _records(state, "webhook")
    assert {key for key, rec in records.items() if rec["status"] == "delivered"} == {
        "al-crit-3",
        "al-high-2",
        "al-warn-1",
    }
    # The rest of the window was there before the first run: skipped, never sent later.
    assert records["al-old-4"]["status"] == "skipped"
    assert "al-ancient-4" not in records


@pytest.mark.parametrize(
    ("mode", "expected"),
    [("fail", "HTTP 500"), ("hang", "no answer within 0.5 s")],
)
def test_a_failed_send_stays_pending_and_the_next_run_delivers_it(
    served: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    mode: str,
    expected: str,
) -> None:
    state = tmp_path / "state"
    with WebhookServer(mode) as broken:  # type: ignore[arg-type]
        started = time.monotonic()
        code = _deliver(served, state, "--webhook-url", broken.url, "--no-digest")
        elapsed = time.monotonic() - started
        # The run stops at the first failure: one request, one time-out at most.
        assert broken.requests == 1
    assert code == EXIT_SEND_FAILED
    assert elapsed < 3
    error = capsys.readouterr().err
    assert f"webhook http://127.0.0.1:{broken.port}/…" in error
    assert "ALERT_WEBHOOK_URL" in error
    assert expected in error
    assert "failed for alert al-crit-3" in error
    assert "3 alert(s) stay pending for the next run" in error
    assert "secret-token" not in error
    records = _records(state, "webhook")
    pending = {key for key, rec in records.items() if rec["status"] == "pending"}
    assert pending == {"al-crit-3", "al-high-2", "al-warn-1"}
    assert records["al-crit-3"]["attempts"] == 1
    assert expected in records["al-crit-3"]["last_error"]

    with WebhookServer("ok") as server:
        assert _deliver(served, state, "--webhook-url", server.url, "--no-digest") == EXIT_OK
        assert sorted(m.payload["text"].split("]")[0] for m in server.received) == [
            "[critical",
            "[high",
            "[warning",
        ]
        assert _deliver(served, state, "--webhook-url", server.url, "--no-digest") == EXIT_OK
        assert server.requests == 3


def test_a_refused_connection_names_the_webhook(
    served: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"http://127.0.0.1:{port}/hook"
    code = _deliver(served, tmp_path / "state", "--webhook-url", url, "--no-digest")
    assert code == EXIT_SEND_FAILED
    error = capsys.readouterr().err
    assert f"webhook http://127.0.0.1:{port}/…" in error
    assert "cannot connect" in error


def test_digests_are_written_per_owner_once(served: Path, tmp_path: Path) -> None:
    state, digests = tmp_path / "state", tmp_path / "digests"
    assert _deliver(served, state, "--digest-dir", str(digests), "--link-template", LINK) == 0
    (run,) = [path for path in digests.iterdir()]
    assert sorted(path.name for path in run.iterdir()) == [
        "owner_owner-a.json",
        "owner_owner-a.md",
        "owner_owner-b.json",
        "owner_owner-b.md",
    ]
    owner_a = json.loads((run / "owner_owner-a.json").read_text())
    assert owner_a["owner_user_id"] == "owner-a"
    assert owner_a["as_of"] == "2026-10-31"
    assert [entry["alert_id"] for entry in owner_a["alerts"]] == ["al-high-2", "al-warn-1"]
    assert owner_a["alerts"][0]["link"] == "https://crm.example.com/accounts/acc-2"
    markdown = (run / "owner_owner-b.md").read_text()
    assert "critical: [Meridian Motors (acc-3)](https://crm.example.com/accounts/acc-3)" in markdown
    assert "al-high-2" not in markdown
    # A re-run writes no new digest.
    assert _deliver(served, state, "--digest-dir", str(digests)) == 0
    assert [path.name for path in digests.iterdir()] == [run.name]


def test_a_late_alert_inside_the_window_is_sent_and_a_withdrawn_one_is_not(
    tmp_path: Path,
) -> None:
    database, state = tmp_path / "health.duckdb", tmp_path / "state"
    _create(database, ALERTS)
    with WebhookServer("fail") as broken:
        assert _deliver(database, state, "--webhook-url", broken.url) == EXIT_SEND_FAILED
    # The next build: a late alert two days back, and the critical one is gone.
    late = FakeAlert("al-late-2", "acc-2", 2, "score_drop", "high", 50.0)
    _create(database, [a for a in ALERTS if a.alert_id != "al-crit-3"] + [late])
    with WebhookServer("ok") as server:
        assert _deliver(database, state, "--webhook-url", server.url) == EXIT_OK
        sent = [m.payload["blocks"][-1]["elements"][0]["text"] for m in server.received]
    assert [text.split()[1] for text in sent] == ["al-late-2", "al-high-2", "al-warn-1"]
    records = _records(state, "webhook")
    assert records["al-crit-3"]["status"] == "withdrawn"
    assert records["al-old-4"]["status"] == "skipped"


def test_sends_per_run_are_bounded(served: Path, tmp_path: Path) -> None:
    state = tmp_path / "state"
    with WebhookServer("ok") as server:
        args = ("--webhook-url", server.url, "--no-digest", "--max-sends", "2")
        assert _deliver(served, state, *args) == EXIT_OK
        assert server.requests == 2
        assert _deliver(served, state, *args) == EXIT_OK
        assert server.requests == 3
        assert _deliver(served, state, *args) == EXIT_OK
        assert server.requests == 3


def test_no_email_reaches_a_message(tmp_path: Path) -> None:
    database, state = tmp_path / "health.duckdb", tmp_path / "state"
    accounts = [(*ACCOUNTS[0][:1], f"Aurora ({EMAIL})", *ACCOUNTS[0][2:]), *ACCOUNTS[1:]]
    _create(database, ALERTS, accounts)
    with WebhookServer("ok") as server:
        assert _deliver(database, state, "--webhook-url", server.url) == EXIT_OK
        bodies = [json.dumps(m.payload) for m in server.received]
    assert len(bodies) == 3
    files = [path.read_text() for path in (state / "digests").rglob("owner_*")]
    assert len(files) == 4
    for text in bodies + files:
        assert EMAIL not in text
    assert any("[redacted e-mail]" in text for text in bodies)


@pytest.mark.parametrize(
    ("args", "env", "message"),
    [
        (["--webhook-url", "ftp://example.com/x"], {}, "--webhook-url (ALERT_WEBHOOK_URL)"),
        ([], {"ALERT_WEBHOOK_URL": "not a url"}, "--webhook-url (ALERT_WEBHOOK_URL)"),
        (["--link-template", "https://x/{account}"], {}, "not {account}"),
        ([], {"ALERT_MAX_SENDS": "0"}, "--max-sends (ALERT_MAX_SENDS) must be between 1"),
        (["--timeout", "600"], {}, "--timeout (ALERT_WEBHOOK_TIMEOUT) must be between"),
        ([], {"ALERT_WINDOW_DAYS": "400"}, "--window-days (ALERT_WINDOW_DAYS) must be between"),
        (["--first-run-days", "9"], {}, "cannot be larger than --window-days"),
        (["--no-digest"], {}, "nothing to deliver to"),
    ],
)
def test_bad_settings_are_refused_naming_the_setting(
    served: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    env: dict[str, str],
    message: str,
) -> None:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert _deliver(served, tmp_path / "state", *args) == EXIT_CANNOT_RUN
    assert message in capsys.readouterr().err
    assert not (tmp_path / "state" / STATE_FILE).exists()


def test_a_database_without_the_marts_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "missing.duckdb"
    assert _deliver(missing, tmp_path / "state") == EXIT_CANNOT_RUN
    assert f"no database at {missing}" in capsys.readouterr().err
    database = tmp_path / "health.duckdb"
    _create(database, ALERTS)
    con = duckdb.connect(str(database))
    con.execute("alter table marts.dim_account_health drop column owner_user_id")
    con.close()
    assert _deliver(database, tmp_path / "state") == EXIT_CANNOT_RUN
    error = capsys.readouterr().err
    assert "marts.dim_account_health has no column owner_user_id" in error


def test_a_second_run_on_the_same_state_refuses_while_one_runs(
    served: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    state = tmp_path / "state"
    state.mkdir()
    with (state / LOCK_FILE).open("w") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        assert _deliver(served, state) == EXIT_CANNOT_RUN
    assert "another delivery run holds" in capsys.readouterr().err
    assert _deliver(served, state) == EXIT_OK


def test_a_damaged_state_file_is_refused_and_kept(
    served: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    state = tmp_path / "state"
    state.mkdir()
    (state / STATE_FILE).write_text('{"version": 1, "channels": {"webhook": ')
    assert _deliver(served, state) == EXIT_CANNOT_RUN
    assert f"state file {state / STATE_FILE} is not a delivery state" in capsys.readouterr().err
    assert (state / STATE_FILE).read_text() == '{"version": 1, "channels": {"webhook": '
    assert not (state / "digests").exists()


def test_the_command_line_entry_and_its_exit_code(served: Path, tmp_path: Path) -> None:
    with WebhookServer("fail") as broken:
        env = {**os.environ, "ALERT_WEBHOOK_URL": broken.url, "ALERT_SEND_INTERVAL": "0"}
        command = [sys.executable, "-m", "python_checks.alerts", "deliver"]
        command += ["--database", str(served), "--state-dir", str(tmp_path / "state"), "--json"]
        result = subprocess.run(
            command, cwd=PROJECT_DIR, env=env, capture_output=True, text=True, timeout=60
        )
    assert result.returncode == EXIT_SEND_FAILED, result.stderr
    report = json.loads(result.stdout)
    webhook = next(c for c in report["channels"] if c["channel"] == "webhook")
    assert (webhook["due"], webhook["delivered"], webhook["pending_after"]) == (3, 0, 3)
    assert report["ok"] is False


@pytest.mark.build
def test_delivers_from_the_sample_build(sample_build: Build, tmp_path: Path) -> None:
    """The real marts: the as-of day's alerts, one digest entry each, under their owner."""
    expected = {
        (alert_id, owner)
        for alert_id, owner in sample_build.query(
            "select alerts.alert_id, accounts.owner_user_id"
            " from marts.fct_health_alerts as alerts"
            " inner join marts.dim_account_health as accounts using (account_id)"
            " where alerts.alerted_on = (select max(as_of_on) from intermediate.int_as_of_date)"
        )
    }
    assert expected, "the sample build raised no alert on its as-of day"
    state, digests = tmp_path / "state", tmp_path / "digests"
    with WebhookServer("ok") as server:
        code = _deliver(
            sample_build.db_path, state, "--webhook-url", server.url, "--digest-dir", str(digests)
        )
        assert code == EXIT_OK
        assert server.requests == len(expected)
    written = {
        (entry["alert_id"], document["owner_user_id"])
        for path in digests.rglob("owner_*.json")
        for document in [json.loads(path.read_text())]
        for entry in document["alerts"]
    }
    assert written == expected
