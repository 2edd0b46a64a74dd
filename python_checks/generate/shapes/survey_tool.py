"""Survey responses in the shape of a generic survey tool's responses table (the defaults of
vars ``survey_tool__*``): one row per response with the tool's own column names.

- ``id`` -> ``response_id``, ``account_id`` -> ``hidden_account_id`` (a hidden form field),
  ``survey`` -> ``form_title`` (``NPS``, ``CSAT``, ``Onboarding``, ``Pulse``; other values as
  they are), ``_loaded_at`` -> ``_fivetran_synced`` (naive UTC).
- ``score`` lands as text, as form tools export answers; ``submitted_at`` stays an instant.
The contract's dirt rides along: re-synced copies, messy e-mails, null and orphan account ids,
out-of-range scores.
"""

from __future__ import annotations

from pathlib import Path

from .common import connect, write_per_batch

SOURCE = "survey"
FORM_TITLES = {"nps": "NPS", "csat": "CSAT", "onboarding": "Onboarding", "pulse": "Pulse"}


def reshape(contract_dir: Path, out_dir: Path) -> None:
    """Write ``out_dir/survey/responses/`` from the contract's ``survey/response``."""
    titles = " ".join(f"when '{key}' then '{title}'" for key, title in FORM_TITLES.items())
    write_per_batch(
        connect(),
        contract_dir,
        out_dir,
        SOURCE,
        "response",
        "responses",
        f"""select id as response_id, case survey {titles} else survey end as form_title,
            respondent_email, account_id as hidden_account_id, cast(score as varchar) as score,
            comment, submitted_at, cast(_loaded_at as timestamp) as _fivetran_synced
        from batch""",
    )
