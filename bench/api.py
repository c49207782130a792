"""REST API benchmark: 100,000 companies on PostgreSQL, served by gunicorn on loopback.

    .venv/bin/python bench/api.py                      # database tracker_apibench
    .venv/bin/python bench/api.py --companies 100000 --duration 15

Measures, in one run against the same server:

- latency (p50 / p95) from one client with a keep-alive connection, of
  the company list filtered by region and ordered by city rank (page of 50), and of a
  company detail;
- throughput with 16 concurrent clients (threads, one keep-alive connection each) of the same
  two endpoints and of `/api/v1/ping/`, a DRF view with no authentication and no database:
  the framework's ceiling on this machine, the baseline the others are compared against.

The data comes from `manage.py load_demo --companies N --reset` (run when the database holds
fewer companies), then a ranking recompute of the latest year if it has no provisional run,
then `VACUUM (ANALYZE)`.
The server runs with DEBUG off, as in production. Targets (issue 4): p95 under 50 ms; list
throughput at least half of the ceiling.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import secrets
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/tracker_apibench"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def manage(*args: str, env: dict) -> str:
    result = subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if result.returncode != 0:
        sys.exit(f"manage.py {' '.join(args)} failed:\n{result.stderr[-3000:]}")
    return result.stdout


PREPARE = """
import json
from django.db.models import Count, Max
from companies.models import Company
from companies.services import user_assign_role
from django.contrib.auth import get_user_model
from core.tokens import token_for
from rankings.models import RankingRun
from rankings.services import rankings_recompute
from companies.models import AnnualData

user, _ = get_user_model().objects.get_or_create(username="bench-api-city")
user_assign_role(user=user, role="city")
token = token_for(user=user)  # a fresh one if a former run's token has expired
latest = AnnualData.objects.aggregate(y=Max("year"))["y"]
if latest and not RankingRun.objects.provisional().filter(year=latest).exists():
    rankings_recompute(year=latest)
region = (
    Company.objects.values("region_id").annotate(n=Count("id")).order_by("-n").first()
)
company = Company.objects.order_by("id")[Company.objects.count() // 2]
print(json.dumps({
    "token": token.key,
    "companies": Company.objects.count(),
    "region": region["region_id"],
    "region_companies": region["n"],
    "company": company.pk,
    "year": latest,
}))
"""


def prepare(env: dict, companies: int) -> dict:
    count = int(
        manage(
            "shell",
            "-c",
            "from companies.models import Company; print(Company.objects.count())",
            env=env,
        ).split()[-1]
    )
    if count < companies:
        print(f"loading {companies:,} demo companies (database holds {count:,}) ...", flush=True)
        started = time.perf_counter()
        manage("load_demo", "--companies", str(companies), "--reset", env=env)
        print(f"  loaded in {time.perf_counter() - started:.0f} s", flush=True)
    data = json.loads(manage("shell", "-c", PREPARE, env=env).strip().splitlines()[-1])
    # The state autovacuum leaves a while after a bulk load or a recompute (it may be off on a
    # development server): planner statistics, without which PostgreSQL guesses 79 companies
    # in a region instead of 19,000, and the visibility map, which lets the page's count be an
    # index-only scan. Quick when nothing changed since the last run.
    manage("dbshell", "--", "-c", "VACUUM (ANALYZE)", env=env)
    return data


class Server:
    def __init__(self, env: dict, workers: int, threads: int):
        self.port = free_port()
        self.process = subprocess.Popen(
            [
                GUNICORN,
                "tracker.wsgi:application",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(workers),
                "--worker-class",
                "gthread",
                "--threads",
                str(threads),
                "--keep-alive",
                "30",
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=env,
        )

    def wait(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                status, _ = request_once(self.port, "/api/v1/ping/", {})
                if status == 200:
                    return
            except OSError:
                time.sleep(0.3)
        self.stop()
        sys.exit("gunicorn did not answer /api/v1/ping/")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()


def request_once(port: int, path: str, headers: dict) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


class Client:
    """One keep-alive connection; reconnects if the server closed it."""

    def __init__(self, port: int, headers: dict):
        self.port = port
        self.headers = {"Accept": "application/json", **headers}
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)

    def get(self, path: str) -> int:
        for attempt in (1, 2):
            try:
                self.conn.request("GET", path, headers=self.headers)
                response = self.conn.getresponse()
                response.read()
                return response.status
            except (http.client.HTTPException, ConnectionError):
                self.conn.close()
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")


def latency(port: int, headers: dict, path: str, samples: int) -> dict:
    client = Client(port, headers)
    for _ in range(20):  # warm-up: connections, caches, the plan of the query
        assert client.get(path) == 200, path
    times = []
    for _ in range(samples):
        started = time.perf_counter()
        status = client.get(path)
        times.append((time.perf_counter() - started) * 1000)
        assert status == 200, (path, status)
    times.sort()
    return {
        "p50": statistics.median(times),
        "p95": times[int(0.95 * len(times)) - 1],
        "max": times[-1],
        "n": len(times),
    }


def throughput(port: int, headers: dict, path: str, clients: int, duration: float) -> dict:
    done = [0] * clients
    errors = [0] * clients
    stop = threading.Event()
    start_gate = threading.Barrier(clients + 1)

    def work(index: int) -> None:
        client = Client(port, headers)
        client.get(path)  # connect before the clock starts
        start_gate.wait()
        while not stop.is_set():
            if client.get(path) == 200:
                done[index] += 1
            else:
                errors[index] += 1

    threads = [threading.Thread(target=work, args=(i,), daemon=True) for i in range(clients)]
    for thread in threads:
        thread.start()
    start_gate.wait()
    started = time.perf_counter()
    time.sleep(duration)
    stop.set()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    return {"rps": sum(done) / elapsed, "requests": sum(done), "errors": sum(errors)}


def machine() -> str:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = os.getloadavg()[0]
    return (
        f"{os.cpu_count()} cores {model}, {platform.system()} {platform.release()}, load {load:.1f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DB))
    parser.add_argument("--companies", type=int, default=100_000)
    parser.add_argument("--samples", type=int, default=300, help="latency samples per endpoint")
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--duration", type=float, default=10.0, help="seconds per throughput run")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn processes")
    parser.add_argument("--threads", type=int, default=4, help="threads per gunicorn process")
    args = parser.parse_args()

    base_env = {
        **os.environ,
        "DATABASE_URL": args.database_url,
        "DJANGO_SETTINGS_MODULE": "tracker.settings",
        "LOG_LEVEL": "WARNING",
    }
    base_env.pop("REDIS_URL", None)  # recomputes in-process; no worker is needed here
    data = prepare({**base_env, "DEBUG": "1"}, args.companies)
    server_env = {
        **base_env,
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(40),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "0",
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
        "SECURE_HSTS_SECONDS": "0",
    }
    auth = {"Authorization": f"Token {data['token']}"}
    paths = {
        "ping (no auth, no DB)": ("/api/v1/ping/", {}),
        "company list: region, by city rank, 50": (
            f"/api/v1/companies/?region={data['region']}&ordering=city_rank&page_size=50",
            auth,
        ),
        "company detail": (f"/api/v1/companies/{data['company']}/", auth),
    }
    print(f"machine: {machine()}")
    print(
        f"data: {data['companies']:,} companies; region {data['region']} holds "
        f"{data['region_companies']:,}; ranking year {data['year']}"
    )
    print(
        f"server: gunicorn gthread, {args.workers} workers x {args.threads} threads, DEBUG off, "
        f"PostgreSQL; client: {args.clients} threads, keep-alive"
    )
    server = Server(server_env, args.workers, args.threads)
    try:
        server.wait()
        results = {}
        for name, (path, headers) in paths.items():
            results[name] = latency(server.port, headers, path, args.samples)
        for name, (path, headers) in paths.items():
            results[name] |= throughput(server.port, headers, path, args.clients, args.duration)
    finally:
        server.stop()

    ceiling = results["ping (no auth, no DB)"]["rps"]
    print()
    print("| endpoint | p50 ms | p95 ms | req/s with 16 clients | share of ceiling |")
    print("|---|---:|---:|---:|---:|")
    for name, r in results.items():
        print(
            f"| {name} | {r['p50']:.1f} | {r['p95']:.1f} | {r['rps']:.0f} "
            f"| {r['rps'] / ceiling:.0%} |" + (f" ({r['errors']} errors)" if r["errors"] else "")
        )
    listing = results["company list: region, by city rank, 50"]
    detail = results["company detail"]
    print()
    print(
        f"p95 < 50 ms: list {'met' if listing['p95'] < 50 else 'MISSED'}, "
        f"detail {'met' if detail['p95'] < 50 else 'MISSED'}; "
        f"list throughput >= half the ceiling: "
        f"{'met' if listing['rps'] >= ceiling / 2 else 'MISSED'} "
        f"({listing['rps']:.0f} vs {ceiling:.0f} req/s)"
    )


if __name__ == "__main__":
    main()
