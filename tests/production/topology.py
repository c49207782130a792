"""The production topology on this machine, for the smoke, fault and load tests:
deploy/run-web.sh (gunicorn), deploy/run-worker.sh (Celery worker) and deploy/run-beat.sh
(Celery beat), exactly as an operator starts them, with DEBUG off, against a PostgreSQL
database of their own (created here, dropped afterwards) and a Redis database of their own,
on a free loopback port.

The HTTP client speaks as the reverse proxy would (X-Forwarded-Proto: https), so the
production settings (SSL redirect, secure cookies) stay on.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[2]
PG_ADMIN_URL = os.environ.get("PG_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
SEED_PASSWORD = "Topology-" + secrets.token_urlsafe(12)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until(predicate, *, timeout: float, interval: float = 0.5, what: str = "condition"):
    """Poll `predicate` until it returns something truthy; fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        with contextlib.suppress(Exception):
            last = predicate()
            if last:
                return last
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout:.0f}s waiting for {what} (last: {last!r})")


# --- PostgreSQL and Redis ----------------------------------------------------------------


def pg_admin(sql: str, *params) -> list:
    import psycopg

    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        cursor = conn.execute(sql, params or None)
        return cursor.fetchall() if cursor.description else []


@contextlib.contextmanager
def scratch_database(tag: str = "prod"):
    """A PostgreSQL database for one test run: tracker_<tag>_<random>, dropped afterwards."""
    name = f"tracker_{tag}_{uuid.uuid4().hex[:10]}"
    pg_admin(f'CREATE DATABASE "{name}"')
    admin = urlparse(PG_ADMIN_URL)
    try:
        yield f"postgres://{admin.netloc}/{name}"
    finally:
        pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


class RedisServer:
    """A throwaway redis-server on its own port, which a test may stop and start again
    (never the shared 6379)."""

    def __init__(self):
        self.port = free_port()
        self.process = None
        self.dir = tempfile.mkdtemp(prefix="tracker-redis-")

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--bind",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                self.dir,
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_until(self.ping, timeout=20, what=f"redis-server on {self.port}")

    def ping(self) -> bool:
        with socket.create_connection(("127.0.0.1", self.port), timeout=1) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")

    def stop(self):
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
            self.process = None

    def remove(self):
        self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)


def flush_redis_db(url: str) -> None:
    import redis

    redis.Redis.from_url(url, socket_connect_timeout=2).flushdb()


# --- HTTP ----------------------------------------------------------------------------------


@dataclass
class Reply:
    status: int
    body: bytes
    headers: dict

    def json(self):
        return json.loads(self.body.decode("utf-8"))


@dataclass
class Client:
    """A tiny HTTP client for the API, as seen through the TLS-terminating proxy."""

    base: str
    token: str | None = None
    timeout: float = 30

    def request(self, method: str, path: str, data=None, headers=None) -> Reply:
        body = None
        all_headers = {"X-Forwarded-Proto": "https", "Accept": "application/json"}
        if self.token:
            all_headers["Authorization"] = f"Token {self.token}"
        if data is not None:
            body = json.dumps(data).encode()
            all_headers["Content-Type"] = "application/json"
        all_headers.update(headers or {})
        req = urllib.request.Request(
            self.base + path, data=body, method=method, headers=all_headers
        )
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as resp:
                return Reply(resp.status, resp.read(), dict(resp.headers))
        except urllib.error.HTTPError as err:
            return Reply(err.code, err.read(), dict(err.headers))

    def login(self, username: str, password: str) -> Reply:
        reply = self.request(
            "POST", "/api/v1/auth/token/", {"username": username, "password": password}
        )
        if reply.status == 200:
            self.token = reply.json()["token"]
        return reply


# --- the three processes -------------------------------------------------------------------


@dataclass
class Topology:
    database_url: str
    redis_url: str
    port: int = field(default_factory=free_port)
    logdir: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="tracker-topo-")))
    processes: dict = field(default_factory=dict)
    extra_env: dict = field(default_factory=dict)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def env(self) -> dict:
        env = {
            key: value
            for key, value in os.environ.items()
            # pytest's own settings must not leak into the "production" processes.
            if key
            not in {"DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE", "PYTEST_CURRENT_TEST"}
        }
        env.update(
            {
                "DEBUG": "0",
                "SECRET_KEY": secrets.token_urlsafe(50),
                "ALLOWED_HOSTS": "127.0.0.1,localhost",
                "DATABASE_URL": self.database_url,
                "REDIS_URL": self.redis_url,
                "PORT": str(self.port),
                "WEB_CONCURRENCY": "2",
                "GUNICORN_THREADS": "4",
                "CELERY_CONCURRENCY": "1",
                "CELERY_BEAT_SCHEDULE_FILE": str(self.logdir / "celerybeat-schedule"),
                "PYTHON": sys.executable,
                "PYTHONUNBUFFERED": "1",
            }
        )
        env.update(self.extra_env)
        return env

    def manage(self, *args: str, timeout: float = 120) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=self.env() | {"DJANGO_SETTINGS_MODULE": "tracker.settings"},
            capture_output=True,
            text=True,
            timeout=timeout,
        )

    def python(self, code: str, timeout: float = 120) -> str:
        """Run `code` in a Django process of this deployment (seeding, inspecting the DB)."""
        result = subprocess.run(
            [sys.executable, "-c", "import django; django.setup()\n" + code],
            cwd=ROOT,
            env=self.env() | {"DJANGO_SETTINGS_MODULE": "tracker.settings"},
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        assert result.returncode == 0, result.stderr[-3000:]
        return result.stdout

    def start(self, name: str) -> subprocess.Popen:
        script = {"web": "run-web.sh", "worker": "run-worker.sh", "beat": "run-beat.sh"}[name]
        log = open(self.logdir / f"{name}.log", "ab")  # noqa: SIM115 - closed in stop()
        process = subprocess.Popen(
            [str(ROOT / "deploy" / script)],
            cwd=ROOT,
            env=self.env(),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: stop() ends gunicorn's workers too
        )
        process.log = log
        self.processes[name] = process
        if name == "web":
            wait_until(self._web_ready, timeout=180, what="gunicorn to answer")
        return process

    def _web_ready(self) -> bool:
        if self.processes["web"].poll() is not None:
            raise AssertionError("web process exited:\n" + self.log("web")[-3000:])
        return Client(self.base, timeout=3).request("GET", "/api/v1/ping/").status == 200

    def stop(self, name: str, sig=signal.SIGTERM, timeout: float = 30) -> None:
        process = self.processes.pop(name, None)
        if process is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, sig)
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)
        # Children that outlived the group leader (a pool process) end with their group.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.log.close()

    def stop_all(self) -> None:
        for name in list(self.processes):
            self.stop(name)

    def log(self, name: str) -> str:
        path = self.logdir / f"{name}.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def client(self) -> Client:
        return Client(self.base)

    # --- data --------------------------------------------------------------------------

    def seed(self, *, companies: int = 3, year: int = 2019) -> dict:
        """A city official (password SEED_PASSWORD) and `companies` rated companies whose tax
        paid rises with their index, so the last one leads the ranking of `year`."""
        code = f"""
import json
from django.contrib.auth import get_user_model
from companies.services import user_assign_role
from tests.factories import AnnualDataFactory, CompanyFactory
user = get_user_model().objects.create_user("topo-city", password={SEED_PASSWORD!r})
user_assign_role(user=user, role="city")
rows = []
for i in range({companies}):
    company = CompanyFactory(name=f"拓扑测试企业{{i}}")
    data = AnnualDataFactory(company=company, year={year}, tax_paid=800 + 100 * i)
    rows.append({{"company": company.pk, "credit_code": company.credit_code,
                 "annual_data": data.pk}})
print(json.dumps({{"username": "topo-city", "companies": rows}}))
"""
        return json.loads(self.python(code).strip().splitlines()[-1])

    def scores(self, year: int = 2019) -> dict:
        """{credit code: (city rank, total)} of the current provisional run, read the way an
        operator would (manage.py export_scores)."""
        result = self.manage("export_scores", "--year", str(year))
        if result.returncode != 0:
            return {}
        lines = result.stdout.splitlines()
        # The CSV's header row (export_scores prints a summary line before it).
        header = next(i for i, line in enumerate(lines) if line.startswith("size_class,"))
        return {
            row["credit_code"]: (int(row["city_rank"]), row["total"])
            for row in csv.DictReader(io.StringIO("\n".join(lines[header:])))
        }


@contextlib.contextmanager
def running_topology(*, redis_url: str, processes=("web", "worker", "beat"), **kwargs):
    """Create a database, start the processes, yield the Topology; always stop and drop."""
    with scratch_database() as database_url:
        topology = Topology(database_url=database_url, redis_url=redis_url, **kwargs)
        try:
            for name in processes:
                topology.start(name)
            yield topology
        except BaseException:
            # pytest shows what a failing test printed: the processes' last log lines.
            for name in ("web", "worker", "beat"):
                print(f"----- {name} log (last lines) -----\n{topology.log(name)[-4000:]}")
            topology.stop_all()
            raise
        topology.stop_all()
        shutil.rmtree(topology.logdir, ignore_errors=True)
