"""The settings of a delivery run: command-line options first, then environment variables.

Every setting names both spellings in its error message, so a wrong value in a scheduler's
environment is as easy to find as a wrong option.
"""

from __future__ import annotations

import math
import os
import string
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from python_checks.alerts.errors import AlertsError

# Defaults, documented in docs/alerts.md and in `deliver --help`.
DEFAULT_FIRST_RUN_DAYS = 1
DEFAULT_WINDOW_DAYS = 7
DEFAULT_MAX_SENDS = 50
DEFAULT_TIMEOUT_SECONDS = 10.0
DEFAULT_SEND_INTERVAL_SECONDS = 1.0
# Upper bounds, so that no setting can make a run unbounded in time or volume.
MAX_WINDOW_DAYS = 366
MAX_SENDS_LIMIT = 1000
MAX_TIMEOUT_SECONDS = 60.0
MAX_SEND_INTERVAL_SECONDS = 10.0
LINK_FIELDS = frozenset({"account_id", "alert_id"})


@dataclass(frozen=True)
class Setting:
    """One setting: its option and its environment variable."""

    option: str
    env: str | None = None

    def label(self) -> str:
        return f"{self.option} ({self.env})" if self.env else self.option


WEBHOOK_URL = Setting("--webhook-url", "ALERT_WEBHOOK_URL")
DIGEST_DIR = Setting("--digest-dir", "ALERT_DIGEST_DIR")
LINK_TEMPLATE = Setting("--link-template", "ALERT_LINK_TEMPLATE")
FIRST_RUN_DAYS = Setting("--first-run-days", "ALERT_FIRST_RUN_DAYS")
WINDOW_DAYS = Setting("--window-days", "ALERT_WINDOW_DAYS")
MAX_SENDS = Setting("--max-sends", "ALERT_MAX_SENDS")
TIMEOUT = Setting("--timeout", "ALERT_WEBHOOK_TIMEOUT")
SEND_INTERVAL = Setting("--send-interval", "ALERT_SEND_INTERVAL")


@dataclass(frozen=True)
class DeliverySettings:
    """Everything a run needs, validated."""

    database: Path
    state_dir: Path
    webhook_url: str | None
    digest_dir: Path | None
    link_template: str | None
    first_run_days: int
    window_days: int
    max_sends: int
    timeout_seconds: float
    send_interval_seconds: float


def _pick(value: str | None, setting: Setting, env: Mapping[str, str]) -> str | None:
    """The option's value if given, else the environment variable's (empty counts as unset)."""
    if value is not None and value != "":
        return value
    if setting.env:
        from_env = env.get(setting.env, "").strip()
        return from_env or None
    return None


def _integer(raw: str | None, setting: Setting, default: int, low: int, high: int) -> int:
    if raw is None:
        return default
    try:
        number = int(raw)
    except ValueError:
        raise AlertsError(f"{setting.label()} must be a whole number, got {raw!r}") from None
    if not low <= number <= high:
        raise AlertsError(f"{setting.label()} must be between {low} and {high}, got {number}")
    return number


def _seconds(raw: str | None, setting: Setting, default: float, low: float, high: float) -> float:
    if raw is None:
        return default
    try:
        number = float(raw)
    except ValueError:
        raise AlertsError(f"{setting.label()} must be a number of seconds, got {raw!r}") from None
    if not math.isfinite(number) or not low <= number <= high:
        raise AlertsError(f"{setting.label()} must be between {low:g} and {high:g} s, got {raw}")
    return number


def check_webhook_url(url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise AlertsError(
            f"{WEBHOOK_URL.label()} must be an http:// or https:// URL with a host,"
            f" got {describe_url(url)!r}"
        )
    return url


def check_link_template(template: str) -> str:
    """A template with ``{account_id}`` (and optionally ``{alert_id}``), nothing else."""
    try:
        fields = {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}
    except ValueError as exc:
        raise AlertsError(f"{LINK_TEMPLATE.label()} is not a valid template: {exc}") from None
    unknown = sorted(fields - LINK_FIELDS)
    if unknown:
        raise AlertsError(
            f"{LINK_TEMPLATE.label()} may only use {{account_id}} and {{alert_id}},"
            f" not {', '.join('{' + name + '}' for name in unknown)}"
        )
    if "account_id" not in fields:
        raise AlertsError(f"{LINK_TEMPLATE.label()} must contain {{account_id}}: {template!r}")
    return template


def describe_url(url: str) -> str:
    """A URL safe to print: scheme, host and port; the path of a chat webhook is its secret."""
    parts = urlsplit(url)
    if not parts.hostname:
        return "<not a URL>"
    port = f":{parts.port}" if parts.port else ""
    hidden = "/…" if parts.path not in ("", "/") or parts.query else ""
    return f"{parts.scheme}://{parts.hostname}{port}{hidden}"


def resolve(
    *,
    database: Path,
    state_dir: Path,
    webhook_url: str | None = None,
    digest_dir: Path | None = None,
    no_digest: bool = False,
    link_template: str | None = None,
    first_run_days: str | None = None,
    window_days: str | None = None,
    max_sends: str | None = None,
    timeout: str | None = None,
    send_interval: str | None = None,
    env: Mapping[str, str] | None = None,
) -> DeliverySettings:
    """Validate the options, fill the rest from ``env`` (default: the process environment)."""
    environment = os.environ if env is None else env
    url = _pick(webhook_url, WEBHOOK_URL, environment)
    digest_raw = _pick(str(digest_dir) if digest_dir else None, DIGEST_DIR, environment)
    template = _pick(link_template, LINK_TEMPLATE, environment)
    first = _integer(
        _pick(first_run_days, FIRST_RUN_DAYS, environment),
        FIRST_RUN_DAYS,
        DEFAULT_FIRST_RUN_DAYS,
        1,
        MAX_WINDOW_DAYS,
    )
    window = _integer(
        _pick(window_days, WINDOW_DAYS, environment),
        WINDOW_DAYS,
        DEFAULT_WINDOW_DAYS,
        1,
        MAX_WINDOW_DAYS,
    )
    if first > window:
        raise AlertsError(
            f"{FIRST_RUN_DAYS.label()} ({first}) cannot be larger than {WINDOW_DAYS.label()}"
            f" ({window})"
        )
    digest: Path | None = None
    if not no_digest:
        digest = Path(digest_raw) if digest_raw else state_dir / "digests"
    if url is None and digest is None:
        raise AlertsError(f"nothing to deliver to: set {WEBHOOK_URL.label()} or drop --no-digest")
    return DeliverySettings(
        database=database,
        state_dir=state_dir,
        webhook_url=check_webhook_url(url) if url else None,
        digest_dir=digest,
        link_template=check_link_template(template) if template else None,
        first_run_days=first,
        window_days=window,
        max_sends=_integer(
            _pick(max_sends, MAX_SENDS, environment),
            MAX_SENDS,
            DEFAULT_MAX_SENDS,
            1,
            MAX_SENDS_LIMIT,
        ),
        timeout_seconds=_seconds(
            _pick(timeout, TIMEOUT, environment),
            TIMEOUT,
            DEFAULT_TIMEOUT_SECONDS,
            0.1,
            MAX_TIMEOUT_SECONDS,
        ),
        send_interval_seconds=_seconds(
            _pick(send_interval, SEND_INTERVAL, environment),
            SEND_INTERVAL,
            DEFAULT_SEND_INTERVAL_SECONDS,
            0.0,
            MAX_SEND_INTERVAL_SECONDS,
        ),
    )
