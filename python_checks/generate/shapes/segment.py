"""Product events in the shape Segment's warehouse destination lands them.

- ``_loaded_at`` becomes ``uuid_ts`` (naive UTC timestamp).
- ``user_id`` is the app's own user id (``u_`` + a hash of the normalised e-mail), no longer
  the e-mail; each user gets one ``identifies`` row carrying the e-mail as the ``email`` trait,
  spelt as the user's first event spelt it (so mixed case and spaces ride along there), written
  in the batch of the user's first tracks or groups row.
- ``groups.group_id`` stays the CRM account id (orphan ids included); events without a user keep
  a null ``user_id`` and their ``anonymous_id``.
- ``event_text``, ``sent_at`` and ``original_timestamp`` are filled as Segment fills them.
"""

from __future__ import annotations

from pathlib import Path

from .common import batch_files, connect, parquet, write_batch

SOURCE = "product"
NORMALISED = "nullif(lower(trim(user_id)), '')"
APP_USER_ID = f"'u_' || left(md5({NORMALISED}), 16)"
UUID_TS = "cast(_loaded_at as timestamp) as uuid_ts"


def reshape(contract_dir: Path, out_dir: Path) -> None:
    """Write ``out_dir/product/{tracks,identifies,groups}/`` from the contract's product tables."""
    con = connect()
    tracks = batch_files(contract_dir, SOURCE, "tracks")
    groups = batch_files(contract_dir, SOURCE, "groups")
    # Every appearance of a user, to find the first one (batch, then time).
    appearances = " union all ".join(
        [
            f"""select {NORMALISED} as email_key, user_id as email, anonymous_id, timestamp,
                _loaded_at, {number} as batch_number, '{path.name}' as batch_file
                from {parquet(path)}"""
            for number, path in enumerate(tracks)
        ]
        + [
            f"""select {NORMALISED} as email_key, user_id as email, null as anonymous_id,
                timestamp, _loaded_at, {number} as batch_number, '{path.name}' as batch_file
                from {parquet(path)}"""
            for number, path in enumerate(groups)
        ]
    )
    con.execute(
        f"""create or replace temp table first_seen as
            select * from ({appearances}) where email_key is not null
            qualify row_number() over (
                partition by email_key order by batch_number, timestamp, _loaded_at, email
            ) = 1"""
    )
    for path in tracks:
        write_batch(
            con,
            f"""select id, {APP_USER_ID} as user_id, anonymous_id, event, event as event_text,
                timestamp, timestamp as sent_at, timestamp as original_timestamp, received_at,
                {UUID_TS} from {parquet(path)}""",
            out_dir,
            SOURCE,
            "tracks",
            path.name,
        )
        write_batch(
            con,
            f"""select 'idf_' || left(md5('identify ' || email_key), 24) as id,
                'u_' || left(md5(email_key), 16) as user_id, anonymous_id, email, timestamp,
                timestamp as received_at, cast(_loaded_at as timestamp) as uuid_ts
            from first_seen where batch_file = '{path.name}'""",
            out_dir,
            SOURCE,
            "identifies",
            path.name,
        )
    for path in groups:
        write_batch(
            con,
            f"""select id, {APP_USER_ID} as user_id, group_id, timestamp, timestamp as received_at,
                {UUID_TS} from {parquet(path)}""",
            out_dir,
            SOURCE,
            "groups",
            path.name,
        )
