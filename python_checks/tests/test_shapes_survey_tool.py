"""The survey-tool reshaper (python_checks.generate.shapes.survey_tool): the responses under the
tool's own column and survey names, score as text, every copy in its batch."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from python_checks.generate.shapes import survey_tool
from python_checks.shape_fixture import reshaped_sample


@pytest.fixture(scope="module")
def shaped(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return reshaped_sample(tmp_path_factory.mktemp("survey_tool"), survey_tool.reshape)


def test_responses_land_under_the_tools_names(shaped: tuple[Path, Path]) -> None:
    contract, out = shaped
    with duckdb.connect() as con:
        con.execute("set TimeZone = 'UTC'")
        contract_rel = f"read_parquet('{contract}/survey/response/*.parquet', filename = 'f')"
        tool_rel = f"read_parquet('{out}/survey/responses/*.parquet', filename = 'f')"
        columns = [row[0] for row in con.execute(f"describe select * from {tool_rel}").fetchall()]
        assert columns == [
            "response_id",
            "form_title",
            "respondent_email",
            "hidden_account_id",
            "score",
            "comment",
            "submitted_at",
            "_fivetran_synced",
            "f",
        ]
        titles = {
            row[0] for row in con.execute(f"select distinct form_title from {tool_rel}").fetchall()
        }
        assert titles == {"NPS", "CSAT", "Onboarding", "Pulse"}
        mismatched = con.execute(
            f"""select id, survey, respondent_email, account_id, score, comment, submitted_at,
                    cast(_loaded_at as timestamp), regexp_extract(f, '[^/]+$')
                from {contract_rel}
                except all
                select response_id,
                    case form_title when 'NPS' then 'nps' when 'CSAT' then 'csat'
                        when 'Onboarding' then 'onboarding' when 'Pulse' then 'pulse' end,
                    respondent_email, hidden_account_id, cast(score as bigint), comment,
                    submitted_at, _fivetran_synced, regexp_extract(f, '[^/]+$')
                from {tool_rel}"""
        ).fetchall()
        assert mismatched == []
