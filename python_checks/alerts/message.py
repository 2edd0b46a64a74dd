"""What an alert says: the webhook's Slack-style JSON (text + blocks) and the digest's lines.

No customer e-mail can reach a message: the marts hold none (dbt test no_email_like_values),
and anything that still looks like an e-mail address is replaced before it is sent or written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any
from urllib.parse import quote

from python_checks.alerts.source import Alert
from python_checks.vocabulary import alert_severities

EMAIL_LIKE = re.compile(r"[^\s@<>()\[\],;:\"']+@[^\s@<>()\[\],;:\"']+\.[A-Za-z]{2,}")
REDACTED = "[redacted e-mail]"
# Slack's limits: a header's plain text 150 characters, a field's text 2,000.
HEADER_LIMIT = 150
FIELD_LIMIT = 2000
UNASSIGNED_OWNER = "unassigned"


def redact(text: str | None) -> str | None:
    return None if text is None else EMAIL_LIKE.sub(REDACTED, text)


@cache
def _severity_order() -> dict[str, int]:
    return {severity: rank for rank, severity in enumerate(alert_severities())}


def severity_rank(severity: str) -> int:
    """The place of ``severity`` in var alert_severities (most severe first); after them all
    when it is none of them."""
    order = _severity_order()
    return order.get(severity, len(order))


def top_driver(alert: Alert) -> str | None:
    """The signal taking the most points today (with value and points), else on the alert's day."""
    if alert.drivers_down:
        return alert.drivers_down.split("; ")[0]
    return alert.top_driver


def account_link(alert: Alert, template: str | None) -> str | None:
    if template is None:
        return None
    return template.format(
        account_id=quote(alert.account_id, safe=""), alert_id=quote(alert.alert_id, safe="")
    )


def _score(value: float | None) -> str:
    return "unknown" if value is None else f"{value:.1f}"


@dataclass(frozen=True)
class AlertView:
    """The words of one alert, shared by the webhook message and the digest."""

    account: str
    severity: str
    score: str
    top_driver: str
    action: str
    link: str | None
    what: str
    owner: str

    @classmethod
    def of(cls, alert: Alert, link_template: str | None) -> AlertView:
        name = redact(alert.account_name)
        account = f"{name} ({alert.account_id})" if name else alert.account_id
        now = (
            f"; now {_score(alert.current_score)} ({alert.current_band})"
            if alert.current_score is not None
            else ""
        )
        action = alert.recommended_action or "none"
        if alert.action_reason:
            action = f"{action}: {alert.action_reason}"
        return cls(
            account=account,
            severity=alert.severity,
            score=f"{_score(alert.alert_score)} on {alert.alerted_on.isoformat()}{now}",
            top_driver=redact(top_driver(alert)) or "none",
            action=redact(action) or "none",
            link=account_link(alert, link_template),
            what=redact(alert.alert_message) or alert.alert_type,
            owner=alert.owner_user_id or UNASSIGNED_OWNER,
        )


def _escape(text: str) -> str:
    """Slack mrkdwn: &, < and > are control characters."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _field(label: str, value: str) -> dict[str, str]:
    return {"type": "mrkdwn", "text": _cut(f"*{label}*\n{value}", FIELD_LIMIT)}


def webhook_payload(alert: Alert, link_template: str | None) -> dict[str, Any]:
    """One Slack-style message: ``text`` for notifications, ``blocks`` for the layout."""
    view = AlertView.of(alert, link_template)
    fields = [
        _field("Account", _escape(view.account)),
        _field("Severity", _escape(view.severity)),
        _field("Score", _escape(view.score)),
        _field("Top driver", _escape(view.top_driver)),
        _field("Action", _escape(view.action)),
        _field("Owner", _escape(view.owner)),
    ]
    if view.link:
        fields.append(_field("Link", f"<{view.link}|Open account>"))
    text = f"[{view.severity}] {view.account}: {view.what} (score {view.score})"
    return {
        "text": _escape(text),
        "blocks": [
            {
                "type": "header",
                "text": {
                    "type": "plain_text",
                    "text": _cut(
                        f"{view.severity.capitalize()} alert: {view.account}", HEADER_LIMIT
                    ),
                },
            },
            {"type": "section", "text": {"type": "mrkdwn", "text": _cut(_escape(view.what), 3000)}},
            {"type": "section", "fields": fields},
            {
                "type": "context",
                "elements": [
                    {
                        "type": "mrkdwn",
                        "text": _escape(f"alert {alert.alert_id} · {alert.alert_type}"),
                    }
                ],
            },
        ],
    }
