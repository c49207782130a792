"""Simultaneous edits on the default SQLite database wait for each other instead of failing.

With deferred transactions, two writers that both read first collide: the second to write gets
"database is locked" at once (an HTTP 500), whatever the busy timeout. The settings make every
transaction take the write lock when it begins (IMMEDIATE), so the others wait their turn.
The writers run in a process of their own against a SQLite file (the test database is in
memory, where locking works differently), copied from the test database.
"""

import contextlib
import json
import os
import sqlite3
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from django.db import connection

from companies.models import AnnualData
from core.roles import Role
from tests.factories import AnnualDataFactory, make_user

ROOT = Path(__file__).resolve().parents[2]
WRITERS = 8

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "sqlite", reason="about SQLite's locking"),
]


def _copy_database(path: Path) -> None:
    connection.ensure_connection()
    target = sqlite3.connect(path)
    try:
        connection.connection.backup(target)
    finally:
        target.close()


def test_eight_simultaneous_api_edits_of_different_rows_all_succeed(tmp_path):
    user = make_user(Role.CITY)
    rows = [AnnualDataFactory(year=2019, tax_paid=1) for _ in range(WRITERS)]
    database = tmp_path / "concurrent.sqlite3"
    _copy_database(database)

    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{database}",
        "REDIS_URL": "",
        "ALLOWED_HOSTS": "testserver",
    }
    run = subprocess.run(
        [sys.executable, "-m", "tests.production.concurrent_writers", str(user.pk)]
        + [str(row.pk) for row in rows],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    outcome = json.loads(run.stdout.strip().splitlines()[-1])

    assert {row_id: result["status"] for row_id, result in outcome.items()} == {
        str(row.pk): 200 for row in rows
    }, outcome
    with contextlib.closing(sqlite3.connect(database)) as written:
        stored = {
            row_id: (Decimal(str(tax)), version)
            for row_id, tax, version in written.execute(
                f"SELECT id, tax_paid, version FROM {AnnualData._meta.db_table}"
            )
        }
    for row in rows:
        assert stored[row.pk] == (Decimal(row.pk), row.version + 1)
        assert outcome[str(row.pk)]["read_version"] == row.version
