"""Faults the production topology must survive, each bounded in time:

- Redis stops while staff edit: every edit succeeds, and the rankings catch up once Redis is
  back (the durable dirty marker and the beat sweep, not the lost queue, carry the work);
- the worker process running a recompute is killed: readers keep seeing the previous
  result, never a half-written one, and the recompute is run again to completion;
- the database connection drops in the middle of an import: nothing of it is saved.
"""

import contextlib
import os
import shutil
import signal
import threading
import time

import psycopg
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import OperationalError, connection
from django.utils import translation

import core.services
from companies.models import Company
from tests.factories import make_credit_code
from tests.production.topology import (
    SEED_PASSWORD,
    RedisServer,
    Topology,
    running_topology,
    scratch_database,
    wait_until,
)
from tracker.imports import services as import_services
from tracker.models import ImportStatus


@pytest.fixture
def own_redis():
    """A redis-server of this test's own, on its own port: stopping it disturbs nobody."""
    server = RedisServer()
    server.start()
    try:
        yield server
    finally:
        server.remove()


def _rank(topology, credit_code):
    return topology.scores().get(credit_code, (None, None))


# --- Redis stopped during edits -------------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.redis
@pytest.mark.worker
def test_redis_down_edits_succeed_and_rankings_converge_when_it_returns(own_redis):
    with running_topology(redis_url=own_redis.url) as topology:
        seeded = topology.seed(companies=3)
        first, second, leader = seeded["companies"]
        wait_until(lambda: _rank(topology, leader["credit_code"])[0] == 1, timeout=120)
        client = topology.client()
        assert client.login(seeded["username"], SEED_PASSWORD).status == 200

        own_redis.stop()
        # Edits while the broker is gone: each is acknowledged and stored.
        for row, tax in ((first, "9000.00"), (second, "7000.00"), (first, "9100.00")):
            path = f"/api/v1/annual-data/{row['annual_data']}/"
            current = client.request("GET", path).json()
            reply = client.request("PATCH", path, {"tax_paid": tax, "version": current["version"]})
            assert reply.status == 200, reply.body
            assert client.request("GET", path).json()["tax_paid"] == tax
        status = topology.python(
            "from rankings.selectors import rankings_status; print(rankings_status().pending)"
        )
        assert "2019" in status  # the change is remembered as pending, not lost
        assert _rank(topology, first["credit_code"])[0] == 3  # the old result is still shown

        own_redis.start()
        # Within a sweep period or two of beat, the rankings reflect every edit.
        wait_until(
            lambda: (
                _rank(topology, first["credit_code"])[0] == 1
                and _rank(topology, second["credit_code"])[0] == 2
            ),
            timeout=200,
            interval=2,
            what="the rankings to converge after Redis came back",
        )
        assert "could not enqueue the recompute" in topology.log("web")


# --- a worker killed during a recompute -------------------------------------------------------


class RunWatcher(threading.Thread):
    """Reads the current provisional run of a year, as a page would, many times a second, and
    records anything a reader must never see: a run not complete, or one missing rows."""

    def __init__(self, database_url, year, expected_rows):
        super().__init__(daemon=True)
        self.url = database_url.replace("postgres://", "postgresql://", 1)
        self.year, self.expected_rows = year, expected_rows
        self.stop_event = threading.Event()
        self.seen, self.bad = 0, []

    def run(self):
        with psycopg.connect(self.url, autocommit=True) as conn:
            while not self.stop_event.is_set():
                row = conn.execute(
                    """SELECT r.id, r.status, (SELECT count(*) FROM rankings_companyscore s
                                               WHERE s.run_id = r.id)
                       FROM rankings_rankingrun r
                       WHERE r.year = %s AND r.kind = 'provisional'
                       ORDER BY r.started_at DESC, r.id DESC LIMIT 1""",
                    [self.year],
                ).fetchone()
                if row is not None:
                    self.seen += 1
                    if row[1] != "complete" or row[2] != self.expected_rows:
                        self.bad.append(row)
                time.sleep(0.05)

    def stop(self):
        self.stop_event.set()
        self.join(timeout=10)


def _pool_children(pid: int) -> list[int]:
    with open(f"/proc/{pid}/task/{pid}/children") as handle:
        return [int(child) for child in handle.read().split()]


@pytest.mark.postgres
@pytest.mark.redis
@pytest.mark.worker
def test_a_worker_killed_mid_recompute_leaves_the_previous_result_and_the_rerun_completes(
    own_redis,
):
    with scratch_database() as database_url:
        topology = Topology(database_url=database_url, redis_url=own_redis.url)
        assert topology.manage("migrate", "--no-input").returncode == 0
        seeded = topology.seed(companies=3)
        first, _second, leader = seeded["companies"]
        try:
            worker = topology.start("worker")
            wait_until(lambda: _rank(topology, leader["credit_code"])[0] == 1, timeout=120)
            watcher = RunWatcher(database_url, 2019, expected_rows=3)
            watcher.start()

            # Hold the recompute in the middle of its transaction: it has deleted the old
            # run's scores and waits for this lock on the league table.
            blocker = psycopg.connect(database_url.replace("postgres://", "postgresql://", 1))
            blocker.execute("LOCK TABLE rankings_regionleague IN ACCESS EXCLUSIVE MODE")
            topology.python(
                f"""
from companies.models import AnnualData
from core.services import record_save
row = AnnualData.objects.get(pk={first["annual_data"]})
row.tax_paid = 9000
record_save(instance=row)
"""
            )
            with psycopg.connect(PG_ADMIN_URL_FOR(database_url), autocommit=True) as admin:
                wait_until(
                    lambda: (
                        admin.execute(
                            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                            " AND wait_event_type = 'Lock' AND query ILIKE '%%regionleague%%'"
                        ).fetchone()[0]
                        == 1
                    ),
                    timeout=60,
                    what="the recompute to reach the locked table",
                )
            children = _pool_children(worker.pid)
            assert len(children) == 1
            os.kill(children[0], signal.SIGKILL)
            time.sleep(2)
            # The previous result is what everyone still sees.
            assert _rank(topology, first["credit_code"])[0] == 3
            blocker.close()  # the dead recompute's transaction is rolled back

            # Celery puts the task back (acks_late, reject_on_worker_lost); it runs again.
            wait_until(
                lambda: _rank(topology, first["credit_code"])[0] == 1,
                timeout=120,
                what="the recompute to run again to completion",
            )
            watcher.stop()
            assert watcher.seen > 0 and watcher.bad == []
            assert "WorkerLostError" in topology.log("worker") or "SIGKILL" in topology.log(
                "worker"
            )
        finally:
            with contextlib.suppress(Exception):
                blocker.close()
            topology.stop_all()
            shutil.rmtree(topology.logdir, ignore_errors=True)


def PG_ADMIN_URL_FOR(database_url: str) -> str:  # noqa: N802 - reads like a constant
    return database_url.replace("postgres://", "postgresql://", 1)


# --- the database connection lost during an import -------------------------------------------

COMPANY_HEADER = ["统一社会信用代码", "企业名称", "行政区", "行业", "规上企业", "用地面积(亩)"]


def _companies_csv(count: int) -> bytes:
    lines = [",".join(COMPANY_HEADER)]
    lines += [f"{make_credit_code()},断线测试企业{i},330784,34,是,20" for i in range(count)]
    return ("\n".join(lines) + "\n").encode()


def _checked_job(user, data):
    job = import_services.import_job_create(
        kind="companies", upload=SimpleUploadedFile("companies.csv", data), user=user
    )
    job = import_services.import_check(job=job)
    assert job.status == ImportStatus.CHECKED and job.errors == [], job.errors
    return job


@pytest.fixture
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_database_connection_killed_mid_import_saves_nothing(
    reference_data,  # noqa: F811 - after other transactional tests' flushes
    world,
    _media,
    monkeypatch,
):
    city = world["users"]["city"]
    job = _checked_job(city, _companies_csv(1200))  # three insert batches of 500
    companies_before = Company.objects.count()
    history_before = Company.history.count()

    real_insert = core.services.insert_rows
    calls = []

    def insert_then_lose_the_connection(*args, **kwargs):
        result = real_insert(*args, **kwargs)
        calls.append(len(args[1]))
        if len(calls) == 1:
            # The first batch is written (uncommitted); now the server ends this session, as
            # a database restart or a network cut would.
            pid = connection.connection.info.backend_pid
            settings_dict = connection.settings_dict
            with psycopg.connect(
                host=settings_dict["HOST"],
                port=settings_dict["PORT"] or 5432,
                user=settings_dict["USER"],
                dbname=settings_dict["NAME"],
                autocommit=True,
            ) as other:
                other.execute("SELECT pg_terminate_backend(%s)", [pid])
        return result

    monkeypatch.setattr(core.services, "insert_rows", insert_then_lose_the_connection)
    with translation.override("en"):
        job = import_services.import_apply(job=job, user=city)

    assert calls == [500]  # the loss struck mid-import, after the first batch
    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED
    assert "nothing was imported" in job.message
    assert Company.objects.count() == companies_before
    assert Company.history.count() == history_before
    assert not Company.objects.filter(name__startswith="断线测试企业").exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_database_error_after_some_rows_of_an_import_saves_nothing(
    reference_data,  # noqa: F811 - after other transactional tests' flushes
    world,
    _media,
):
    """The same on any database: the connection fails once the first batch is inserted."""
    city = world["users"]["city"]
    job = _checked_job(city, _companies_csv(800))  # two insert batches
    companies_before = Company.objects.count()
    inserts = []

    def fail_on_the_second_insert(execute, sql, params, many, context):
        # A batch's first statement: its INSERT (SQLite), or the ids it takes from the
        # sequence before its COPY (PostgreSQL).
        text = sql.lstrip().upper()
        if '"COMPANIES_COMPANY"' in text and text.startswith(("INSERT", "SELECT NEXTVAL")):
            inserts.append(sql)
            if len(inserts) > 1:
                raise OperationalError("server closed the connection unexpectedly")
        return execute(sql, params, many, context)

    with connection.execute_wrapper(fail_on_the_second_insert), translation.override("en"):
        job = import_services.import_apply(job=job, user=city)

    job.refresh_from_db()
    assert len(inserts) == 2  # the first batch went in before the failure
    assert job.status == ImportStatus.FAILED
    assert "OperationalError" in job.message
    assert Company.objects.count() == companies_before
    assert not Company.objects.filter(name__startswith="断线测试企业").exists()
