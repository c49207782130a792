"""REST API benchmark: the list endpoints against their floor, served by gunicorn on loopback.

    .venv/bin/python bench/api.py                 # 10,000 companies, database bench_api
    .venv/bin/python bench/api.py --full          # 100,000 companies (or BENCH_FULL=1)
    .venv/bin/python bench/api.py --json          # also the `make bench` rows (bench/README.md)

The script creates and migrates its own PostgreSQL database (`<BENCH_DB_PREFIX>_api`, or
--database-url), loads `load_demo --companies N --reset` when it holds fewer companies,
recomputes the latest year if it has no provisional run, then runs `VACUUM (ANALYZE)`.

Measured in one run, against servers with the same gunicorn worker setup (DEBUG off):

- latency (p50 / p95) from one keep-alive client of the company list (the largest region,
  by city rank, page of 50), the scores list (the latest run by position, page of 50) and a
  company detail;
- their floor: the same pages' rows read with one hand-written SQL statement and encoded
  with orjson by a tiny WSGI app (bench/floor_app.py), no Django;
- throughput with 16 concurrent clients of the lists and of `/api/v1/ping/` (DRF, no
  authentication, no database): the framework's ceiling on this machine.

Targets (issue 14): both lists' p95 within 3x their floor and under 20 ms; list throughput
with 16 clients at least 25 % of the ping ceiling.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import secrets
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import benchlib  # noqa: E402
from benchlib import ROOT, load_average, machine, manage, row  # noqa: E402

GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
MAKE_BENCH = True  # run by `make bench` (bench/run.py), which reads the --json rows


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


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
run = RankingRun.objects.provisional().filter(year=latest).values_list("id", flat=True).first()
company = Company.objects.order_by("id")[Company.objects.count() // 2]
print(json.dumps({
    "token": token.key,
    "companies": Company.objects.count(),
    "region": region["region_id"],
    "region_companies": region["n"],
    "company": company.pk,
    "year": latest,
    "run": run,
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
        benchlib.fill_with_demo(env["DATABASE_URL"], companies)
    data = json.loads(manage("shell", "-c", PREPARE, env=env).strip().splitlines()[-1])
    # The state autovacuum leaves a while after a bulk load or a recompute (it may be off on a
    # development server): planner statistics, without which PostgreSQL guesses 79 companies
    # in a region instead of 19,000, and the visibility map, which lets the page's count be an
    # index-only scan. Quick when nothing changed since the last run.
    manage("dbshell", "--", "-c", "VACUUM (ANALYZE)", env=env)
    return data


class Server:
    def __init__(self, env: dict, workers: int, threads: int, app="tracker.wsgi:application"):
        self.port = free_port()
        self.ping = "/api/v1/ping/" if app.startswith("tracker") else "/ping/"
        self.process = subprocess.Popen(
            [
                GUNICORN,
                app,
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
            cwd=ROOT if app.startswith("tracker") else ROOT / "bench",
            env=env,
        )

    def wait(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                status, _ = request_once(self.port, self.ping, {})
                if status == 200:
                    return
            except OSError:
                time.sleep(0.3)
        self.stop()
        sys.exit(f"gunicorn did not answer {self.ping}")

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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL"))
    parser.add_argument("--companies", type=int, default=None, help="10,000; 100,000 with --full")
    parser.add_argument("--full", action="store_true", help="province scale: 100,000 companies")
    parser.add_argument("--json", action="store_true", help="print the make-bench rows")
    parser.add_argument("--samples", type=int, default=300, help="latency samples per endpoint")
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--duration", type=float, default=8.0, help="seconds per throughput run")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn processes")
    parser.add_argument("--threads", type=int, default=4, help="threads per gunicorn process")
    args = parser.parse_args()
    companies = args.companies or (100_000 if benchlib.full() else 10_000)
    url = args.database_url or benchlib.database_url("api")
    if benchlib.ensure_database(url):
        print(f"created and migrated database {url.rsplit('/', 1)[-1]}", flush=True)

    base_env = benchlib.django_env(url)
    data = prepare(base_env, companies)
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
    company_list = f"/api/v1/companies/?region={data['region']}&ordering=city_rank&page_size=50"
    score_list = f"/api/v1/rankings/{data['year']}/scores/?page_size=50"
    api_paths = {
        "ping": ("/api/v1/ping/", {}),
        "companies": (company_list, auth),
        "scores": (score_list, auth),
        "detail": (f"/api/v1/companies/{data['company']}/", auth),
    }
    floor_paths = {
        "ping": ("/ping/", {}),
        "companies": (f"/companies/?region={data['region']}&run={data['run']}", {}),
        "scores": (f"/scores/?run={data['run']}", {}),
    }
    print(f"machine: {machine()}, load average {load_average()}")
    print(
        f"data: {data['companies']:,} companies; region {data['region']} holds "
        f"{data['region_companies']:,}; ranking year {data['year']} (run {data['run']})"
    )
    print(
        f"servers: gunicorn gthread, {args.workers} workers x {args.threads} threads, DEBUG off, "
        f"PostgreSQL; client: {args.clients} threads, keep-alive",
        flush=True,
    )
    api = measure(server_env, args, api_paths, ("ping", "companies", "scores"))
    floor = measure(
        server_env, args, floor_paths, ("companies", "scores"), app="floor_app:application"
    )
    report(data, api, floor)


def measure(env, args, paths, throughput_of, app="tracker.wsgi:application") -> dict:
    server = Server(env, args.workers, args.threads, app=app)
    try:
        server.wait()
        results = {}
        for name, (path, headers) in paths.items():
            results[name] = latency(server.port, headers, path, args.samples)
        for name in throughput_of:
            path, headers = paths[name]
            results[name] |= throughput(server.port, headers, path, args.clients, args.duration)
    finally:
        server.stop()
    return results


def report(data: dict, api: dict, floor: dict) -> None:
    ceiling = api["ping"]["rps"]
    print()
    print(
        "| endpoint | p50 ms | p95 ms | floor p95 ms | p95 / floor | req/s, 16 clients "
        "| share of ceiling |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|")
    for name, r in api.items():
        base = floor.get(name)
        rps = r.get("rps")
        print(
            f"| {name} | {r['p50']:.1f} | {r['p95']:.1f} "
            f"| {base['p95']:.1f} | {r['p95'] / base['p95']:.1f}x "
            if base
            else f"| {name} | {r['p50']:.1f} | {r['p95']:.1f} | | ",
            end="",
        )
        print(f"| {rps:.0f} | {rps / ceiling:.0%} |" if rps else "| | |")
    scale = f"{data['companies']:,} companies"
    for name, label in (("companies", "company list"), ("scores", "scores list")):
        p95, base = api[name]["p95"], floor[name]["p95"]
        row(
            f"API {label}: p95 ({scale})",
            round(p95, 1),
            unit="ms",
            floor=round(base, 1),
            target="≤ 3× floor and < 20 ms",
            met=p95 <= 3 * base and p95 < 20,
            note="floor: one SQL statement + orjson in the same gunicorn setup",
        )
        rps, floor_rps = api[name]["rps"], floor[name]["rps"]
        print(f"{label}: {rps:.0f} req/s with 16 clients; its floor app {floor_rps:.0f} req/s")
        row(
            f"API {label}: req/s with 16 clients ({scale})",
            round(rps),
            unit="req/s",
            floor=round(ceiling),
            target="≥ 25 % of the ping ceiling",
            met=rps >= 0.25 * ceiling,
            note=(
                "floor: /api/v1/ping/ (DRF, no auth, no database); the one-statement floor "
                f"app served {floor_rps:.0f} req/s"
            ),
        )
    row(
        f"API company detail: p95 ({scale})",
        round(api["detail"]["p95"], 1),
        unit="ms",
        target="< 50 ms",
        met=api["detail"]["p95"] < 50,
    )
    for figure in ("companies", "scores"):
        if api[figure].get("errors"):
            print(f"{figure}: {api[figure]['errors']} errors under load")


if __name__ == "__main__":
    main()
