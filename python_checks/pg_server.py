"""A throwaway local Postgres for the project: `python -m python_checks.pg_server up`.

Creates (once) a Debian cluster `customer_health` on 127.0.0.1 (port PGPORT, default 55432) with
trust authentication, starts it, and creates the database PGDATABASE (default customer_health)
owned by role PGUSER (default customer_health) with the UTC time zone. Idempotent: a running
cluster and existing role and database are left as they are. `down` stops the cluster, `drop`
removes it. Runs as root (the server itself runs as the `postgres` user: pg_ctlcluster refuses
root) or as the `postgres` user. Needs Debian's `postgresql` package (`apt-get install postgresql`).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

CLUSTER = "customer_health"
POSTGRES_LIB = Path("/usr/lib/postgresql")


class PgServerError(RuntimeError):
    """The server could not be set up; the message says what to do."""


@dataclass(frozen=True)
class PgSettings:
    host: str
    port: int
    user: str
    database: str

    @classmethod
    def from_env(cls) -> PgSettings:
        return cls(
            host=os.environ.get("PGHOST", "127.0.0.1"),
            port=int(os.environ.get("PGPORT", "55432")),
            user=os.environ.get("PGUSER", "customer_health"),
            database=os.environ.get("PGDATABASE", "customer_health"),
        )


def installed_version() -> str | None:
    """The newest Postgres major version Debian installed, or None without the package."""
    if shutil.which("pg_ctlcluster") is None or not POSTGRES_LIB.is_dir():
        return None
    versions = sorted(
        (p.name for p in POSTGRES_LIB.iterdir() if (p / "bin" / "postgres").exists()),
        key=lambda name: int(name) if name.isdigit() else 0,
    )
    return versions[-1] if versions else None


def _as_postgres(command: list[str]) -> list[str]:
    """The command run as the `postgres` user (from root), or as it is (already postgres)."""
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *command]
    return command


def _run(command: list[str], *, check: bool = True) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if check and result.returncode != 0:
        raise PgServerError(
            f"{' '.join(command)} failed ({result.returncode}):\n{result.stdout}{result.stderr}"
        )
    return result


def _cluster_status(version: str) -> str | None:
    """'online', 'down' or None when the cluster does not exist."""
    result = _run(["pg_lsclusters", "--no-header"], check=False)
    for line in result.stdout.splitlines():
        fields = line.split()
        if len(fields) >= 4 and fields[0] == version and fields[1] == CLUSTER:
            return fields[3]
    return None


def _psql(settings: PgSettings, sql: str, database: str = "postgres") -> str:
    command = [
        "psql",
        "-X",
        "-q",
        "-t",
        "-A",
        "-v",
        "ON_ERROR_STOP=1",
        "-h",
        settings.host,
        "-p",
        str(settings.port),
        "-U",
        "postgres",
        "-d",
        database,
        "-c",
        sql,
    ]
    return _run(command).stdout.strip()


def _wait_ready(settings: PgSettings, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while True:
        ready = _run(["pg_isready", "-h", settings.host, "-p", str(settings.port)], check=False)
        if ready.returncode == 0:
            return
        if time.monotonic() > deadline:
            raise PgServerError(
                f"Postgres cluster {CLUSTER} not accepting connections on "
                f"{settings.host}:{settings.port} after {timeout:.0f} s: {ready.stdout.strip()}"
            )
        time.sleep(0.5)


def _write_settings(version: str, settings: PgSettings) -> None:
    """The cluster's settings, in Debian's conf.d (read after postgresql.conf)."""
    conf = Path("/etc/postgresql") / version / CLUSTER / "conf.d" / "customer_health.conf"
    conf.write_text(
        "# Written by python_checks/pg_server.py: a throwaway local cluster.\n"
        f"listen_addresses = '{settings.host}'\n"
        f"port = {settings.port}\n"
        "timezone = 'UTC'\n"
        "fsync = off\n"
        "synchronous_commit = off\n"
        "full_page_writes = off\n"
    )


def up(settings: PgSettings) -> None:
    """Create (once) and start the cluster, then the role and database (once)."""
    version = installed_version()
    if version is None:
        raise PgServerError(
            "no Postgres server binaries (/usr/lib/postgresql/<version>/bin/postgres, "
            "pg_ctlcluster): install them with `apt-get install -y postgresql`"
        )
    if os.geteuid() != 0 and _run(["id", "-un"]).stdout.strip() != "postgres":
        raise PgServerError("run pg_server as root or as the postgres user")
    status = _cluster_status(version)
    if status is None:
        _run(
            [
                "pg_createcluster",
                "--port",
                str(settings.port),
                "--start-conf",
                "manual",
                version,
                CLUSTER,
                "--",
                "--auth=trust",
                "--encoding=UTF8",
                "--locale=C.UTF-8",
            ]
        )
        status = "down"
    if status != "online":
        _write_settings(version, settings)
        _run(_as_postgres(["pg_ctlcluster", version, CLUSTER, "start"]))
    _wait_ready(settings)
    role = settings.user.replace('"', '""')
    if not _psql(settings, f"select 1 from pg_roles where rolname = '{settings.user}'"):
        _psql(settings, f'create role "{role}" login superuser')
    if not _psql(settings, f"select 1 from pg_database where datname = '{settings.database}'"):
        db = settings.database.replace('"', '""')
        _psql(settings, f'create database "{db}" owner "{role}"')
        _psql(settings, f"alter database \"{db}\" set timezone to 'UTC'")
    print(
        f"Postgres {version} cluster {CLUSTER} up on {settings.host}:{settings.port}, "
        f"database {settings.database}, user {settings.user}"
    )


def drop_database(settings: PgSettings) -> None:
    """Drop the database (a test's own); the cluster keeps running."""
    db = settings.database.replace('"', '""')
    _psql(settings, f'drop database if exists "{db}" with (force)')


def down(settings: PgSettings, *, drop: bool = False) -> None:
    version = installed_version()
    if version is None or _cluster_status(version) is None:
        print(f"no Postgres cluster {CLUSTER}")
        return
    if _cluster_status(version) == "online":
        _run(_as_postgres(["pg_ctlcluster", version, CLUSTER, "stop"]))
    if drop:
        _run(["pg_dropcluster", version, CLUSTER])
    print(f"Postgres cluster {CLUSTER} {'dropped' if drop else 'stopped'}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m python_checks.pg_server", description=__doc__)
    parser.add_argument("action", choices=["up", "down", "drop"])
    args = parser.parse_args(argv)
    settings = PgSettings.from_env()
    try:
        if args.action == "up":
            up(settings)
        else:
            down(settings, drop=args.action == "drop")
    except PgServerError as exc:
        print(f"pg_server: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
