"""Fixtures for the integration tests that run a real Celery worker against real Redis.

Each test gets its own throwaway redis-server (never the shared one on 6379, which a test
stops and starts), and a worker subprocess pointed at the test database and that Redis. The
test process's own Celery app is switched from in-process (eager) to that broker too."""

import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
WAIT_SECONDS = 45


def wait_for(predicate, *, timeout=WAIT_SECONDS, interval=0.1, what="condition"):
    """Poll until `predicate()` is truthy; fail (not hang) after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    pytest.fail(f"timed out after {timeout} s waiting for {what}")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ThrowawayRedis:
    def __init__(self):
        self.port = _free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = None

    def start(self):
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for(self._answers, timeout=10, what="redis-server to answer")

    def _answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as s:
                s.sendall(b"PING\r\n")
                return s.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def stop(self):
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None


@pytest.fixture
def throwaway_redis():
    if subprocess.run(["which", "redis-server"], capture_output=True).returncode != 0:
        pytest.skip("redis-server is not installed")
    redis = ThrowawayRedis()
    redis.start()
    yield redis
    redis.stop()


@pytest.fixture
def broker(throwaway_redis):
    """Point this process's Celery app at the throwaway Redis (no more eager tasks)."""
    from tracker.celery import app

    saved = {k: app.conf[k] for k in ("broker_url", "task_always_eager")}
    app.conf.update(broker_url=throwaway_redis.url, task_always_eager=False)
    _reset_producers(app)
    yield throwaway_redis
    _reset_producers(app)
    app.conf.update(saved)


def _reset_producers(app):
    if app._pool is not None:
        app._pool.force_close_all()
        app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture
def celery_worker_process(broker, transactional_db):
    """`celery -A tracker worker --pool=solo` on the test database and the throwaway Redis."""
    settings = connection.settings_dict
    credentials = settings["USER"] + (f":{settings['PASSWORD']}" if settings["PASSWORD"] else "")
    database_url = (
        f"postgres://{credentials}@{settings['HOST'] or '127.0.0.1'}:"
        f"{settings['PORT'] or 5432}/{settings['NAME']}"
    )
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "REDIS_URL": broker.url,
        "DEBUG": "1",
        "SECRET_KEY": os.environ.get("SECRET_KEY", "test-only-secret-key"),
        "CONN_MAX_AGE": "0",
    }
    log = tempfile.NamedTemporaryFile("w+", suffix=".log", delete=False)  # noqa: SIM115
    celery = Path(sys.executable).with_name("celery")
    process = subprocess.Popen(
        [
            str(celery),
            "-A",
            "tracker",
            "worker",
            "--pool=solo",
            "--loglevel=INFO",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        wait_for(
            lambda: "ready." in Path(log.name).read_text() or process.poll() is not None,
            what="the Celery worker to start",
        )
        if process.poll() is not None:
            pytest.fail("the Celery worker exited:\n" + Path(log.name).read_text()[-3000:])
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()
        os.unlink(log.name)
