"""POST one JSON message to a chat webhook, with a bounded time and no redirects."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from typing import Any

# A chat webhook answers with a few bytes ("ok"); more is read only to quote an error.
MAX_RESPONSE_BYTES = 4096
USER_AGENT = "customer-health-alerts/1"


class SendError(Exception):
    """The webhook did not accept the message (HTTP error, time-out, refused, redirected)."""


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A redirect would turn the POST into a GET elsewhere: report it as a failure instead."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


_OPENER = urllib.request.build_opener(_NoRedirect())


def post_json(url: str, payload: dict[str, Any], *, timeout: float) -> None:
    """Send ``payload``; returns when the webhook answered 2xx, raises SendError otherwise.

    ``timeout`` bounds connecting and each read; reading the answer stops after ``timeout``
    seconds in total too.
    """
    body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
    request = urllib.request.Request(
        url,
        data=body,
        method="POST",
        headers={"Content-Type": "application/json; charset=utf-8", "User-Agent": USER_AGENT},
    )
    started = time.monotonic()
    try:
        with _OPENER.open(request, timeout=timeout) as response:
            status = response.status
            _read_bounded(response, started, timeout)
    except urllib.error.HTTPError as exc:
        detail = _error_body(exc)
        raise SendError(f"HTTP {exc.code} {exc.reason}{detail}") from None
    except TimeoutError:
        raise SendError(f"no answer within {timeout:g} s (timed out)") from None
    except urllib.error.URLError as exc:
        reason = exc.reason
        if isinstance(reason, TimeoutError):
            raise SendError(f"no answer within {timeout:g} s (timed out)") from None
        raise SendError(f"cannot connect: {reason}") from None
    except (OSError, ValueError) as exc:
        raise SendError(f"{type(exc).__name__}: {exc}") from None
    if not 200 <= status < 300:
        raise SendError(f"HTTP {status} (expected 2xx)")


def _read_bounded(response: Any, started: float, timeout: float) -> bytes:
    chunks: list[bytes] = []
    size = 0
    while size < MAX_RESPONSE_BYTES:
        if time.monotonic() - started > timeout:
            raise TimeoutError
        chunk = response.read(min(1024, MAX_RESPONSE_BYTES - size))
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks)


def _error_body(exc: urllib.error.HTTPError) -> str:
    try:
        text = exc.read(200).decode("utf-8", "replace").strip()
    except (OSError, ValueError):
        return ""
    finally:
        exc.close()
    return f": {text}" if text else ""
