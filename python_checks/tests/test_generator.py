"""Tests of the sample raw data generator (python_checks.generate).

Small runs (tens of accounts, half a year) keep them fast; each run is made once per module.
"""

from __future__ import annotations

import json
import re
from dataclasses import replace
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from python_checks.generate import DIRT_CLASSES, ConfigError, GenerateConfig, generate
from python_checks.generate.__main__ import main
from python_checks.generate.schema import CONTRACT, LOADED_AT, TABLES
from python_checks.generate.writer import UnsafeOutputError

START, END = date(2025, 1, 1), date(2025, 6, 30)
PUBLIC = {"gmail.com", "outlook.com", "yahoo.com", "hotmail.com", "icloud.com"}
# High enough that every class shows up in a small run.
HIGH_DIRT = {name: 0.06 for name in DIRT_CLASSES} | {"test_accounts": 0.08, "clock_skew": 0.02}
CONTRACT_DOC = Path(__file__).resolve().parents[3] / "shared" / "raw-contract.md"


def _config(root: Path, **changes: object) -> GenerateConfig:
    base = GenerateConfig(
        accounts=60,
        seed=7,
        start=START,
        end=END,
        out=root / "raw",
        truth=root / "truth",
        batches=3,
        quiet=True,
    )
    return replace(base, **changes)


@pytest.fixture(scope="module")
def dirty(tmp_path_factory: pytest.TempPathFactory) -> GenerateConfig:
    config = _config(tmp_path_factory.mktemp("dirty"), dirt=HIGH_DIRT)
    generate(config)
    return config


@pytest.fixture(scope="module")
def clean(tmp_path_factory: pytest.TempPathFactory) -> GenerateConfig:
    config = _config(tmp_path_factory.mktemp("clean"), dirt_scale=0.0)
    generate(config)
    return config


@pytest.fixture(scope="module")
def larger(tmp_path_factory: pytest.TempPathFactory) -> GenerateConfig:
    """Enough accounts and time for behaviour statistics (clean data)."""
    config = _config(
        tmp_path_factory.mktemp("larger"),
        accounts=240,
        seed=11,
        start=date(2025, 1, 1),
        end=date(2025, 12, 31),
        dirt_scale=0.0,
    )
    generate(config)
    return config


# -- reading helpers ---------------------------------------------------------------------------
def files_of(raw: Path, table: str) -> list[Path]:
    return sorted((raw / table).glob("*.parquet"))


def read_raw(raw: Path, table: str) -> pa.Table:
    """All batch files of a table, tstz columns converted to UTC so they concatenate."""
    parts = []
    for path in files_of(raw, table):
        data = pq.read_table(path)
        fields = [
            pa.field(f.name, pa.timestamp("us", tz="UTC"))
            if pa.types.is_timestamp(f.type) and f.type.tz is not None
            else f
            for f in data.schema
        ]
        parts.append(data.cast(pa.schema(fields)))
    return pa.concat_tables(parts)


def frame(raw: Path, table: str) -> pd.DataFrame:
    return read_raw(raw, table).to_pandas()


def latest(raw: Path, table: str) -> pd.DataFrame:
    """The newest copy of each id, as the contract says a reader must keep."""
    df = frame(raw, table)
    return df.sort_values(LOADED_AT, kind="stable").drop_duplicates("id", keep="last")


def dirt_doc(config: GenerateConfig) -> dict:
    return json.loads((config.truth / "dirt.json").read_text())


def class_total(entry: dict, dirt_class: str) -> int:
    value = entry[dirt_class]
    return sum(value.values()) if isinstance(value, dict) else int(value)


def messy(series: pd.Series) -> int:
    s = series.dropna()
    return int((s != s.str.strip().str.lower()).sum())


# -- the contract ------------------------------------------------------------------------------
EXPECTED_TYPES = {
    "str": pa.string(),
    "json": pa.string(),
    "int": pa.int64(),
    "float": pa.float64(),
    "bool": pa.bool_(),
    "date": pa.date32(),
}


def test_every_table_and_column_follows_the_contract(dirty: GenerateConfig) -> None:
    assert json.loads((dirty.out / "_contract.json").read_text()) == {"version": 1}
    for table, columns in CONTRACT.items():
        files = files_of(dirty.out, table)
        assert len(files) == dirty.batches, table
        for path in files:
            schema = pq.read_schema(path)
            assert schema.field(LOADED_AT).type == pa.timestamp("us", tz="UTC")
            for name, kind in columns:
                actual = schema.field(name).type
                if kind == "ts":
                    assert actual == pa.timestamp("us"), (table, name)
                elif kind == "tstz":
                    assert pa.types.is_timestamp(actual) and actual.tz, (table, name)
                else:
                    assert actual == EXPECTED_TYPES[kind], (table, name, actual)
        assert read_raw(dirty.out, table).num_rows > 0, table


@pytest.mark.skipif(not CONTRACT_DOC.exists(), reason="shared/raw-contract.md not beside the repo")
def test_schema_module_matches_the_contract_document() -> None:
    text = CONTRACT_DOC.read_text()
    documented: dict[str, list[tuple[str, str]]] = {}
    source = None
    for line in text.splitlines():
        if heading := re.match(r"### (\w+)", line):
            source = heading.group(1)
        row = re.match(r"\| (\w+) \| (.+) \|$", line)
        if source and row and row.group(1) != "table":
            cols = [c.strip() for c in re.sub(r"\([^)]*\)", "", row.group(2)).split(",")]
            documented[f"{source}/{row.group(1)}"] = [tuple(c.split()[:2]) for c in cols]
    assert set(documented) == set(CONTRACT)
    for table, columns in documented.items():
        assert list(CONTRACT[table]) == columns, table


def test_mixed_offsets_write_the_same_instants_in_several_zones(dirty: GenerateConfig) -> None:
    zones = {
        str(pq.read_schema(p).field("created_at").type.tz)
        for p in files_of(dirty.out, "support/ticket")
    }
    assert zones == {"UTC", "America/New_York", "Asia/Kolkata"}
    doc = dirt_doc(dirty)
    assert doc["batch_zones"] == ["UTC", "America/New_York", "Asia/Kolkata"]
    non_utc = sum(pq.read_metadata(p).num_rows for p in files_of(dirty.out, "support/ticket")[1:])
    assert doc["support/ticket"]["mixed_offsets"] == non_utc > 0


# -- determinism ---------------------------------------------------------------------------------
def _contents(config: GenerateConfig, table: str) -> pd.DataFrame:
    df = frame(config.out, table)
    return df.sort_values(["id", LOADED_AT], kind="stable").reset_index(drop=True)


def test_same_seed_same_data_and_other_seed_other_data(
    dirty: GenerateConfig, tmp_path: Path
) -> None:
    again = replace(dirty, out=tmp_path / "a" / "raw", truth=tmp_path / "a" / "truth")
    generate(again)
    for table in TABLES:
        pd.testing.assert_frame_equal(_contents(dirty, table), _contents(again, table))
    assert dirt_doc(dirty) == dirt_doc(again)
    pd.testing.assert_frame_equal(
        pd.read_parquet(dirty.truth / "health_daily.parquet"),
        pd.read_parquet(again.truth / "health_daily.parquet"),
    )
    other = replace(again, seed=8, out=tmp_path / "b" / "raw", truth=tmp_path / "b" / "truth")
    generate(other)
    assert not _contents(dirty, "product/tracks").equals(_contents(other, "product/tracks"))


# -- dirt ----------------------------------------------------------------------------------------
def test_dirt_json_lists_every_table_and_class(dirty: GenerateConfig) -> None:
    doc = dirt_doc(dirty)
    assert "notes" in doc and "newest copy" in doc["notes"]
    for table in TABLES:
        entry = doc[table]
        assert entry["rows_written"] == read_raw(dirty.out, table).num_rows
        for dirt_class in DIRT_CLASSES:
            assert dirt_class in entry, (table, dirt_class)
    for dirt_class in DIRT_CLASSES:
        assert sum(class_total(doc[t], dirt_class) for t in TABLES) > 0, dirt_class


def test_dirt_counts_match_the_data(dirty: GenerateConfig) -> None:
    doc, raw = dirt_doc(dirty), dirty.out
    for table in TABLES:
        df = frame(raw, table)
        assert doc[table]["resync_duplicates"] == len(df) - df["id"].nunique(), table

    truth = pd.read_parquet(dirty.truth / "accounts.parquet")
    test_ids = set(truth.loc[truth.is_test, "account_id"])
    accounts = latest(raw, "crm/account")
    assert doc["crm/account"]["test_accounts"] == accounts["id"].isin(test_ids).sum() > 0
    assert doc["crm/account"]["soft_deletes"] == accounts["is_deleted"].sum()
    account_ids = set(frame(raw, "crm/account")["id"])
    for table in ("crm/contact", "crm/opportunity", "crm/task", "crm/health_input__c"):
        df = latest(raw, table)
        assert doc[table]["soft_deletes"] == df["is_deleted"].sum(), table
        orphans = (~df["account_id"].isin(account_ids)).sum()
        assert doc[table]["orphan_foreign_keys"]["account_id"] == orphans, table

    tickets = latest(raw, "support/ticket")
    deleted = tickets["_fivetran_deleted"] | (tickets["status"] == "deleted")
    assert doc["support/ticket"]["soft_deletes"] == deleted.sum()
    allowed = {"new", "open", "pending", "hold", "solved", "closed", "deleted"}
    outside = (~tickets["status"].isin(allowed)).sum()
    assert doc["support/ticket"]["out_of_set_values"]["status"] == outside
    assert doc["support/ticket"]["nulls"]["priority"] == tickets["priority"].isna().sum()
    assert doc["support/ticket"]["messy_emails"]["requester_email"] == messy(
        tickets["requester_email"]
    )

    invoices = latest(raw, "billing/invoice")
    assert (
        doc["billing/invoice"]["zero_and_refunds"]["amount_due"]
        == (invoices["amount_due"] == 0).sum()
    )
    assert (
        doc["billing/invoice"]["negative_amounts"]["amount_due"]
        == (invoices["amount_due"] < 0).sum()
    )
    charges = latest(raw, "billing/charge")
    assert doc["billing/charge"]["zero_and_refunds"]["amount"] == (charges["amount"] < 0).sum()
    customer_ids = set(frame(raw, "billing/customer")["id"])
    assert (
        doc["billing/charge"]["orphan_foreign_keys"]["customer_id"]
        == (~charges["customer_id"].isin(customer_ids)).sum()
    )

    tracks = latest(raw, "product/tracks")
    window = (tracks["timestamp"] >= pd.Timestamp(START, tz="UTC") - pd.Timedelta(days=1)) & (
        tracks["timestamp"] <= pd.Timestamp(END, tz="UTC") + pd.Timedelta(days=2)
    )
    assert doc["product/tracks"]["clock_skew"] == (~window).sum()
    assert doc["product/tracks"]["nulls"]["user_id"] == tracks["user_id"].isna().sum()
    assert tracks.loc[tracks["user_id"].isna(), "anonymous_id"].notna().all()
    assert doc["product/tracks"]["messy_emails"]["user_id"] == messy(tracks["user_id"])

    responses = latest(raw, "survey/response")
    nps = responses["survey"] == "nps"
    bad = (nps & ~responses["score"].between(0, 10)) | (~nps & ~responses["score"].between(1, 5))
    assert doc["survey/response"]["out_of_set_values"]["score"] == bad.sum()


def test_mutable_rows_resync_with_their_newer_state(tmp_path: Path) -> None:
    only_resync = dict.fromkeys(DIRT_CLASSES, 0.0) | {"resync_duplicates": 0.5}
    config = _config(tmp_path, accounts=120, dirt=only_resync)
    generate(config)
    subs = frame(config.out, "billing/subscription").sort_values(LOADED_AT, kind="stable")
    per_id = subs.groupby("id").agg(
        copies=("status", "size"),
        first_status=("status", "first"),
        last_status=("status", "last"),
        first_quantity=("quantity", "first"),
        last_quantity=("quantity", "last"),
    )
    copied = per_id[per_id["copies"] > 1]
    assert len(copied) > 0
    changed = copied[
        (copied["first_status"] != copied["last_status"])
        | (copied["first_quantity"] != copied["last_quantity"])
    ]
    assert len(changed) > 0
    # The older copy shows the state an earlier load saw: still live.
    assert set(changed["first_status"]) <= {"active", "trialing"}
    assert "canceled" in set(changed["last_status"])


@pytest.mark.parametrize("dirt_class", DIRT_CLASSES)
def test_each_dirt_class_appears_alone_when_only_it_is_on(dirt_class: str, tmp_path: Path) -> None:
    rates = dict.fromkeys(DIRT_CLASSES, 0.0) | {dirt_class: HIGH_DIRT[dirt_class]}
    config = _config(tmp_path, dirt=rates)
    generate(config)
    doc = dirt_doc(config)
    for other in DIRT_CLASSES:
        total = sum(class_total(doc[t], other) for t in TABLES)
        if other == dirt_class:
            assert total > 0, other
        else:
            assert total == 0, (dirt_class, other, total)


def test_clean_run_has_no_dirt(clean: GenerateConfig) -> None:
    doc = dirt_doc(clean)
    for table in TABLES:
        for dirt_class in DIRT_CLASSES:
            assert class_total(doc[table], dirt_class) == 0, (table, dirt_class)
        df = frame(clean.out, table)
        assert df["id"].is_unique, table
        if "is_deleted" in df:
            assert not df["is_deleted"].any(), table
    for path in clean.out.rglob("*.parquet"):
        for f in pq.read_schema(path):
            if pa.types.is_timestamp(f.type) and f.type.tz is not None:
                assert f.type.tz == "UTC", path
    assert not pd.read_parquet(clean.truth / "accounts.parquet")["is_test"].any()
    assert messy(frame(clean.out, "crm/contact")["email"]) == 0
    assert (frame(clean.out, "billing/charge")["amount"] > 0).all()


# -- truth ---------------------------------------------------------------------------------------
def test_truth_is_outside_raw_and_consistent(clean: GenerateConfig) -> None:
    for name in (
        "accounts.parquet",
        "health_daily.parquet",
        "outcomes.parquet",
        "dirt.json",
        "manifest.json",
    ):
        assert (clean.truth / name).exists(), name
    assert not list(clean.out.rglob("health_daily*"))
    manifest = json.loads((clean.truth / "manifest.json").read_text())
    assert manifest["parameters"]["seed"] == clean.seed

    accounts = pd.read_parquet(clean.truth / "accounts.parquet")
    health = pd.read_parquet(clean.truth / "health_daily.parquet")
    outcomes = pd.read_parquet(clean.truth / "outcomes.parquet")
    assert health["hidden_health"].between(0, 1).all()
    assert set(health["account_id"]) <= set(accounts.loc[accounts.is_customer, "account_id"])
    assert set(outcomes["event_type"]) <= {"churn", "renewal", "expansion", "contraction"}

    churned = accounts.dropna(subset=["churned_on"])
    assert len(churned) > 0
    churns = outcomes[outcomes.event_type == "churn"].set_index("account_id")["event_on"]
    assert (churns.loc[churned.account_id].to_numpy() == churned.churned_on.to_numpy()).all()
    subs = latest(clean.out, "billing/subscription")
    customers = latest(clean.out, "billing/customer")
    crm_of = customers.set_index("id")["metadata"].map(lambda m: json.loads(m)["crm_account_id"])
    status = subs.set_index(subs["customer_id"].map(crm_of))["status"]
    assert (status.loc[churned.account_id] == "canceled").all()
    assert (status.drop(churned.account_id) != "canceled").all()
    crm = latest(clean.out, "crm/account").set_index("id")
    assert (crm.loc[churned.account_id, "type"] == "Former Customer").all()
    # No health after churn, one health row per day from start to churn.
    last_day = health.groupby("account_id")["date_day"].max()
    assert (last_day.loc[churned.account_id].to_numpy() < churned.churned_on.to_numpy()).all()


def test_raw_account_ids_match_truth(clean: GenerateConfig) -> None:
    accounts = pd.read_parquet(clean.truth / "accounts.parquet")
    crm = latest(clean.out, "crm/account")
    assert set(crm["id"]) == set(accounts["account_id"])
    websites = crm.set_index("id")["website"].str.removeprefix("https://www.")
    assert (websites.loc[accounts.account_id].to_numpy() == accounts.website_domain).all()


# -- identity ------------------------------------------------------------------------------------
def test_every_product_user_links_to_an_account(clean: GenerateConfig) -> None:
    raw = clean.out
    accounts = latest(raw, "crm/account")
    by_domain = dict(
        zip(accounts["website"].str.removeprefix("https://www."), accounts["id"], strict=True)
    )
    for _, org in latest(raw, "support/organization").iterrows():
        for domain in org["domain_names"].split(","):
            by_domain.setdefault(domain, org["external_id"])
    groups = latest(raw, "product/groups")
    by_user = dict(zip(groups["user_id"], groups["group_id"], strict=True))
    users = latest(raw, "product/tracks")["user_id"].unique()
    public = [u for u in users if u.split("@")[1] in PUBLIC]
    assert public, "some users have public mailboxes"
    for user in users:
        domain = user.split("@")[1]
        linked = by_user.get(user) or (None if domain in PUBLIC else by_domain.get(domain))
        assert linked in set(accounts["id"]), user
    assert len(set(users) - set(by_user)) > 0, "some users are linked by domain only"


def test_other_systems_link_by_id_or_domain(dirty: GenerateConfig) -> None:
    raw = dirty.out
    orgs = latest(raw, "support/organization")
    no_id = orgs[orgs["external_id"].isna()]
    assert len(no_id) > 0
    websites = set(latest(raw, "crm/account")["website"].str.removeprefix("https://www."))
    assert all(d.split(",")[0] in websites for d in no_id["domain_names"])
    customers = latest(raw, "billing/customer")
    without = customers[~customers["metadata"].str.contains("crm_account_id")]
    assert len(without) > 0
    domains = without["email"].str.strip().str.lower().str.split("@").str[1]
    assert domains.isin(websites).all()


# -- behaviour driven by hidden health -----------------------------------------------------------
def _account_health(config: GenerateConfig) -> pd.Series:
    health = pd.read_parquet(config.truth / "health_daily.parquet")
    return health.groupby("account_id")["hidden_health"].mean()


def _terciles(values: pd.Series) -> pd.Series:
    return pd.qcut(values.rank(method="first"), 3, labels=["low", "mid", "high"])


def test_logins_per_seat_grow_with_health(larger: GenerateConfig) -> None:
    raw = larger.out
    groups = latest(raw, "product/groups")
    accounts = latest(raw, "crm/account")
    by_domain = dict(
        zip(accounts["website"].str.removeprefix("https://www."), accounts["id"], strict=True)
    )
    by_user = dict(zip(groups["user_id"], groups["group_id"], strict=True))
    tracks = latest(raw, "product/tracks")
    logins = tracks[tracks["event"] == "login"]
    account = logins["user_id"].map(lambda u: by_user.get(u) or by_domain.get(u.split("@")[1]))
    truth = pd.read_parquet(larger.truth / "accounts.parquet").set_index("account_id")
    health = _account_health(larger)
    days = pd.read_parquet(larger.truth / "health_daily.parquet").groupby("account_id").size()
    per_seat_day = account.value_counts().reindex(health.index, fill_value=0) / (
        truth.loc[health.index, "seats_at_start"] * days.loc[health.index]
    )
    by_tercile = per_seat_day.groupby(_terciles(health), observed=True).mean()
    assert by_tercile["high"] > 1.5 * by_tercile["low"]


def test_tickets_nps_and_churn_follow_health(larger: GenerateConfig) -> None:
    raw = larger.out
    health = _account_health(larger)
    tercile = _terciles(health)
    responses = latest(raw, "survey/response")
    nps = responses[responses["survey"] == "nps"].groupby("account_id")["score"].mean()
    nps_by = nps.groupby(tercile.reindex(nps.index), observed=True).mean()
    assert nps_by["high"] > nps_by["low"] + 1.5

    orgs = latest(raw, "support/organization").set_index("id")["external_id"]
    tickets = latest(raw, "support/ticket")
    per_account = tickets["organization_id"].map(orgs).value_counts()
    truth = pd.read_parquet(larger.truth / "accounts.parquet").set_index("account_id")
    days = pd.read_parquet(larger.truth / "health_daily.parquet").groupby("account_id").size()
    rate = per_account.reindex(health.index, fill_value=0) / (
        truth.loc[health.index, "seats_at_start"] ** 0.6 * days
    )
    rate_by = rate.groupby(tercile, observed=True).mean()
    assert rate_by["low"] > 1.5 * rate_by["high"]

    churned = truth.loc[health.index, "churned_on"].notna()
    churn_by = churned.groupby(tercile, observed=True).mean()
    assert churn_by["low"] > churn_by["high"]


def test_event_volume_follows_the_parameter(larger: GenerateConfig) -> None:
    rows = len(frame(larger.out, "product/tracks"))
    target = larger.events_per_account_day * larger.accounts * larger.days
    assert 0.8 * target < rows < 1.25 * target


# -- batches ---------------------------------------------------------------------------------------
def test_batches_hold_time_slices_loaded_after_them(clean: GenerateConfig) -> None:
    days = (clean.end - clean.start).days + 1
    bounds = np.floor(np.arange(clean.batches + 1) * days / clean.batches).astype(int)
    start = pd.Timestamp(clean.start, tz="UTC")
    for k, path in enumerate(files_of(clean.out, "product/tracks")):
        data = pq.read_table(path).to_pandas()
        slice_end = start + pd.Timedelta(days=int(bounds[k + 1]))
        assert (data[LOADED_AT] > slice_end).all()
        assert (data[LOADED_AT] < slice_end + pd.Timedelta(days=1)).all()
        assert (data["timestamp"] < slice_end).all()
        assert (data["received_at"] < data[LOADED_AT]).all()
        if k > 0:
            assert (data["timestamp"] >= start + pd.Timedelta(days=int(bounds[k]))).all()
    tickets = frame(clean.out, "support/ticket")
    assert (tickets["updated_at"] < tickets[LOADED_AT]).all()


# -- command line and safety ---------------------------------------------------------------------
def test_cli_writes_data_and_prints_a_summary(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(
        [
            "--accounts",
            "12",
            "--start",
            "2025-01-01",
            "--end",
            "2025-02-28",
            "--out",
            str(tmp_path / "raw"),
            "--truth",
            str(tmp_path / "truth"),
            "--batches",
            "2",
            "--dirt",
            "nulls=0.1",
            "--dirt-scale",
            "0.5",
            "--quiet",
        ]
    )
    printed = capsys.readouterr().out
    assert code == 0
    assert "product/tracks" in printed and "done in" in printed
    assert len(files_of(tmp_path / "raw", "crm/account")) == 2
    manifest = json.loads((tmp_path / "truth" / "manifest.json").read_text())
    assert manifest["parameters"]["dirt_rates_effective"]["nulls"] == pytest.approx(0.05)


def test_folders_must_not_nest_and_foreign_folders_are_not_wiped(tmp_path: Path) -> None:
    with pytest.raises(ConfigError):
        _config(tmp_path, out=tmp_path / "truth" / "raw")
    with pytest.raises(ConfigError):
        _config(tmp_path, truth=tmp_path / "raw" / "truth")
    with pytest.raises(ConfigError):
        _config(tmp_path, dirt={"no_such_class": 0.1})
    foreign = tmp_path / "raw"
    foreign.mkdir()
    (foreign / "precious.txt").write_text("keep me")
    with pytest.raises(UnsafeOutputError):
        generate(_config(tmp_path))
    assert (foreign / "precious.txt").read_text() == "keep me"


def test_a_rerun_replaces_its_own_output(tmp_path: Path) -> None:
    config = _config(tmp_path, accounts=10)
    generate(config)
    stale = config.out / "crm" / "account" / "batch_0099.parquet"
    stale.write_bytes(b"left over")
    (config.truth / "old.txt").write_text("left over")
    generate(replace(config, batches=2))
    assert not stale.exists() and not (config.truth / "old.txt").exists()
    assert len(files_of(config.out, "crm/account")) == 2
