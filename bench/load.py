"""Load test: many concurrent API clients against the production topology on loopback.

Starts deploy/run-web.sh (gunicorn), run-worker.sh and run-beat.sh with DEBUG off against a
scratch PostgreSQL database (created and dropped here) and Redis database 15 of 127.0.0.1:6379
(flushed before and after), seeds companies with 2019 annual data, then runs `--clients`
threads for `--duration` seconds. Each client signs in with a token and loops over a mix of
reads (company list and detail, annual data, the 2019 ranking, rankings status) and, with
probability `--write-ratio`, a read-modify-write of annual data it alone edits (GET, then
PATCH `robots_added` with the version it read). A write counts as acknowledged when the API
answers 200.

Afterwards every acknowledged write is checked in the database: each row must hold the value
of its last acknowledged write, its version must have grown by exactly the number of
acknowledged writes, and its history must hold one record per write. It prints requests,
errors, throughput and p50/p95/p99 latency (overall, and per kind, with a ping baseline
measured in the same run), and exits 1 on any error or lost write.

    .venv/bin/python bench/load.py [--clients 50] [--duration 60] [--write-ratio 0.2]
        [--companies 300] [--web-concurrency N] [--threads N]

Or against a server that is already running (no checks of the database then):

    .venv/bin/python bench/load.py --base-url https://tracker.example --username u --password p
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import statistics
import sys
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

REDIS_URL = "redis://127.0.0.1:6379/15"
YEAR = 2019
PAGE_SIZE = 20


@dataclass
class Stats:
    latencies: dict = field(default_factory=lambda: defaultdict(list))
    errors: list = field(default_factory=list)
    acknowledged: dict = field(default_factory=lambda: defaultdict(list))  # row id -> values
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, kind: str, seconds: float) -> None:
        with self.lock:
            self.latencies[kind].append(seconds)

    def error(self, kind: str, detail: str) -> None:
        with self.lock:
            self.errors.append(f"{kind}: {detail}"[:300])


class ApiConnection:
    """One client's keep-alive connection; reconnects when the server closes it."""

    def __init__(self, base_url: str, stats: Stats, timeout: float = 60):
        url = urlparse(base_url)
        self.host, self.port = url.hostname, url.port or (443 if url.scheme == "https" else 80)
        self.https = url.scheme == "https"
        self.timeout, self.stats = timeout, stats
        self.token = None
        self.conn = None

    def _connect(self):
        cls = http.client.HTTPSConnection if self.https else http.client.HTTPConnection
        self.conn = cls(self.host, self.port, timeout=self.timeout)

    def call(self, kind: str, method: str, path: str, body=None, expect=(200,)):
        headers = {"Accept": "application/json", "X-Forwarded-Proto": "https"}
        if self.token:
            headers["Authorization"] = f"Token {self.token}"
        payload = None
        if body is not None:
            payload = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        started = time.perf_counter()
        for attempt in (1, 2):
            if self.conn is None:
                self._connect()
            try:
                self.conn.request(method, path, body=payload, headers=headers)
                response = self.conn.getresponse()
                data = response.read()
                break
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError) as exc:
                # The server closed an idle keep-alive connection before this request reached
                # it (only safe to retry because nothing was sent to a live server).
                self.conn.close()
                self.conn = None
                if attempt == 2:
                    self.stats.error(kind, f"{method} {path}: {exc!r}")
                    return None, None
            except OSError as exc:
                self.conn.close()
                self.conn = None
                self.stats.error(kind, f"{method} {path}: {exc!r}")
                return None, None
        self.stats.record(kind, time.perf_counter() - started)
        if response.status not in expect:
            self.stats.error(kind, f"{method} {path} -> {response.status} {data[:200]!r}")
            return response.status, None
        try:
            return response.status, json.loads(data) if data else None
        except ValueError:
            return response.status, data


def client_loop(index: int, api: ApiConnection, args, rows: list[dict], stats, stop_at: float):
    rng = random.Random(index)
    pages = max(1, len(rows) // PAGE_SIZE)  # full pages only: every page number exists
    own_rows = [row for i, row in enumerate(rows) if i % args.clients == index]
    writes = 0
    while time.monotonic() < stop_at:
        roll = rng.random()
        if roll < args.write_ratio and own_rows:
            row = rng.choice(own_rows)
            path = f"/api/v1/annual-data/{row['annual_data']}/"
            status, record = api.call("write:get", "GET", path)
            if record is None:
                continue
            writes += 1
            value = index * 1_000_000 + writes  # unique: tells whose write survived
            status, saved = api.call(
                "write:patch",
                "PATCH",
                path,
                {"robots_added": value, "version": record["version"]},
            )
            if status == 200 and saved is not None:
                with stats.lock:
                    stats.acknowledged[row["annual_data"]].append(value)
            continue
        row = rng.choice(rows)
        kind = rng.choice(["list", "company", "annual", "scores", "status", "ping"])
        if kind == "list":
            api.call(
                kind,
                "GET",
                f"/api/v1/companies/?page_size={PAGE_SIZE}&page={rng.randint(1, pages)}",
            )
        elif kind == "company":
            api.call(kind, "GET", f"/api/v1/companies/{row['company']}/")
        elif kind == "annual":
            api.call(kind, "GET", f"/api/v1/annual-data/?company={row['company']}")
        elif kind == "scores":
            api.call(
                kind,
                "GET",
                f"/api/v1/rankings/{YEAR}/scores/?page_size={PAGE_SIZE}&page={rng.randint(1, pages)}",
            )
        elif kind == "status":
            api.call(kind, "GET", "/api/v1/rankings/status/")
        else:
            api.call(kind, "GET", "/api/v1/ping/")


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def report(stats: Stats, elapsed: float) -> int:
    everything = [v for values in stats.latencies.values() for v in values]
    total = len(everything) + len(stats.errors)
    print(f"\nrequests   {total}  in {elapsed:.1f} s  = {len(everything) / elapsed:.1f} req/s")
    print(f"errors     {len(stats.errors)}")
    for line in stats.errors[:10]:
        print("   ", line)
    if everything:
        print(
            f"latency    p50 {percentile(everything, 0.5) * 1000:.0f} ms   "
            f"p95 {percentile(everything, 0.95) * 1000:.0f} ms   "
            f"p99 {percentile(everything, 0.99) * 1000:.0f} ms   "
            f"max {max(everything) * 1000:.0f} ms"
        )
    print(f"\n{'kind':<12}{'count':>8}{'p50 ms':>10}{'p95 ms':>10}{'mean ms':>10}")
    for kind in sorted(stats.latencies):
        values = stats.latencies[kind]
        print(
            f"{kind:<12}{len(values):>8}{percentile(values, 0.5) * 1000:>10.0f}"
            f"{percentile(values, 0.95) * 1000:>10.0f}{statistics.fmean(values) * 1000:>10.0f}"
        )
    return len(stats.errors)


def check_writes(topology, rows: list[dict], stats: Stats) -> int:
    """Every acknowledged write is in the database, in order, with its history."""
    ids = [row["annual_data"] for row in rows]
    stored = json.loads(
        topology.python(
            f"""
import json
from companies.models import AnnualData
rows = AnnualData.objects.filter(pk__in={ids!r})
print(json.dumps({{r.pk: [r.robots_added, r.version, r.history.count()] for r in rows}}))
"""
        )
        .strip()
        .splitlines()[-1]
    )
    lost = 0
    acknowledged = sum(len(v) for v in stats.acknowledged.values())
    for row_id in ids:
        values = stats.acknowledged.get(row_id, [])
        robots, version, history = stored[str(row_id)]
        if values and robots != values[-1]:
            lost += 1
            print(f"   row {row_id}: holds {robots}, last acknowledged write was {values[-1]}")
        if version != 1 + len(values) or history != 1 + len(values):
            lost += 1
            print(
                f"   row {row_id}: version {version}, {history} history records, "
                f"{len(values)} acknowledged writes"
            )
    print(f"\nacknowledged writes {acknowledged}; rows checked {len(ids)}; lost writes {lost}")
    return lost


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--duration", type=float, default=60)
    parser.add_argument("--write-ratio", type=float, default=0.2)
    parser.add_argument("--companies", type=int, default=300)
    parser.add_argument("--web-concurrency", type=int, default=None, help="gunicorn workers")
    parser.add_argument("--threads", type=int, default=None, help="threads per gunicorn worker")
    parser.add_argument("--base-url", help="an already running server (skips the topology)")
    parser.add_argument("--username")
    parser.add_argument("--password")
    args = parser.parse_args()

    if args.base_url:
        if not (args.username and args.password):
            parser.error("--base-url needs --username and --password")
        return run(args, args.base_url, [(args.username, args.password)], rows=None)

    from tests.production.topology import SEED_PASSWORD, flush_redis_db, running_topology

    # gunicorn as deploy/gunicorn.conf.py configures it unless told otherwise.
    extra_env = {
        "WEB_CONCURRENCY": str(args.web_concurrency or 2 * (os.cpu_count() or 1) + 1),
        "GUNICORN_THREADS": str(args.threads or 1),
    }
    flush_redis_db(REDIS_URL)
    try:
        with running_topology(redis_url=REDIS_URL, extra_env=extra_env) as topology:
            print(f"topology up at {topology.base} (logs in {topology.logdir}); seeding …")
            seeded = topology.seed(companies=args.companies)
            topology.python(
                f"""
from django.contrib.auth import get_user_model
from companies.services import user_assign_role
for i in range(1, 5):
    user = get_user_model().objects.create_user(f"topo-city{{i}}", password={SEED_PASSWORD!r})
    user_assign_role(user=user, role="city")
"""
            )
            credentials = [(seeded["username"], SEED_PASSWORD)] + [
                (f"topo-city{i}", SEED_PASSWORD) for i in range(1, 5)
            ]
            # Let the first ranking of the seeded year finish, so reads see a full result.
            deadline = time.monotonic() + 120
            while len(topology.scores(YEAR)) < args.companies and time.monotonic() < deadline:
                time.sleep(1)
            return run(args, topology.base, credentials, seeded["companies"], topology)
    finally:
        flush_redis_db(REDIS_URL)


def run(args, base_url, credentials, rows, topology=None) -> int:
    stats = Stats()
    rows = rows or []
    if not rows:
        args.write_ratio = 0.0  # nothing of ours to edit on a foreign server
        rows = [{"company": 1, "annual_data": 1}]
    print(
        f"{args.clients} clients, {args.duration:.0f} s, write ratio {args.write_ratio:.2f}, "
        f"{len(rows)} rows, against {base_url}"
    )
    # Sign in first, once per account: a token is per user, and a password hash costs about a
    # second of CPU on purpose, so it is not part of the figures.
    sign_in_stats = Stats()
    started = time.monotonic()
    tokens = {}
    for username, password in credentials:
        api = ApiConnection(base_url, sign_in_stats, timeout=300)
        status, body = api.call(
            "login", "POST", "/api/v1/auth/token/", {"username": username, "password": password}
        )
        if status == 200:
            tokens[username] = body["token"]
    apis = []
    for i in range(args.clients):
        username = credentials[i % len(credentials)][0]
        if username in tokens:
            api = ApiConnection(base_url, stats)
            api.token = tokens[username]
            apis.append(api)
        else:
            apis.append(None)
    print(
        f"{len(tokens)} of {len(credentials)} accounts signed in "
        f"in {time.monotonic() - started:.1f} s"
    )
    stats.errors.extend(sign_in_stats.errors)
    started = time.monotonic()
    stop_at = started + args.duration
    threads = [
        threading.Thread(
            target=client_loop, args=(i, apis[i], args, rows, stats, stop_at), daemon=True
        )
        for i in range(args.clients)
        if apis[i] is not None
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=args.duration + 120)
    elapsed = time.monotonic() - started
    errors = report(stats, elapsed)
    lost = check_writes(topology, rows, stats) if topology is not None else 0
    verdict = "OK" if errors == 0 and lost == 0 else "FAILED"
    print(f"\n{verdict}: {errors} errors, {lost} lost writes (machine: {os.cpu_count()} cores)")
    return 0 if verdict == "OK" else 1


if __name__ == "__main__":
    sys.exit(main())
