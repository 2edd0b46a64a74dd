"""The Segment reshaper (python_checks.generate.shapes.segment), on a small generated sample:
app user ids instead of e-mails, one identify per user carrying the e-mail trait."""

from __future__ import annotations

from pathlib import Path

import pytest

from python_checks.generate.shapes import segment
from python_checks.shape_fixture import parquet_table, reshaped_sample, rows


@pytest.fixture(scope="module")
def shaped(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return reshaped_sample(tmp_path_factory.mktemp("segment"), segment.reshape)


def _read(folder: Path, table: str) -> str:
    return parquet_table(folder, "product", table)


def test_user_ids_are_app_ids_resolved_by_one_identify_each(shaped: tuple[Path, Path]) -> None:
    contract, out = shaped
    assert rows(f"select count(*) from {_read(out, 'tracks')} where user_id like '%@%'") == [(0,)]
    assert rows(f"select count(*) - count(distinct user_id) from {_read(out, 'identifies')}") == [
        (0,)
    ]
    # Through identifies, each event's user is the contract's e-mail (as staging normalises it),
    # and null users stay null (anonymous events).
    for table in ("tracks", "groups"):
        mismatched = rows(
            f"""select c.id, lower(trim(c.user_id)) from {_read(contract, table)} as c
                except all
                select s.id, lower(trim(i.email)) from {_read(out, table)} as s
                left join {_read(out, "identifies")} as i on i.user_id = s.user_id"""
        )
        assert mismatched == [], table


def test_identify_lands_no_later_than_the_users_first_event(shaped: tuple[Path, Path]) -> None:
    _, out = shaped
    late = rows(
        f"""with first_event as (
                select user_id, min(regexp_extract(f, '[^/]+$')) as batch
                from (select user_id, f from {_read(out, "tracks")}
                      union all select user_id, f from {_read(out, "groups")})
                where user_id is not null group by user_id
            )
            select i.user_id from {_read(out, "identifies")} as i
            join first_event using (user_id)
            where regexp_extract(i.f, '[^/]+$') > first_event.batch"""
    )
    assert late == []
    unidentified = rows(
        f"""select count(*) from {_read(out, "tracks")} as t
            where t.user_id is not null
              and t.user_id not in (select user_id from {_read(out, "identifies")})"""
    )
    assert unidentified == [(0,)]


def test_events_keep_their_copies_batches_and_load_times(shaped: tuple[Path, Path]) -> None:
    contract, out = shaped
    columns = "id, anonymous_id, event, timestamp, received_at"
    for table, cols in (("tracks", columns), ("groups", "id, group_id, timestamp")):
        mismatched = rows(
            f"""select {cols}, cast(_loaded_at as timestamp), regexp_extract(f, '[^/]+$')
                from {_read(contract, table)}
                except all
                select {cols}, uuid_ts, regexp_extract(f, '[^/]+$') from {_read(out, table)}"""
        )
        assert mismatched == [], table
