"""What the bench scripts share: the `make bench` row protocol (bench/README.md), the scratch
PostgreSQL databases, the machine's description.

A script imports it with `sys.path.insert(0, str(Path(__file__).parent))`, as bench/ is not
a package. Nothing here imports Django, so a script may call it before `django.setup()`.
"""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python")
PG_SERVER = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")


def full() -> bool:
    """Whether to run at province scale (100,000): `--full`, `BENCH_FULL=1`."""
    return os.environ.get("BENCH_FULL", "") not in ("", "0") or "--full" in sys.argv


def database_url(name: str) -> str:
    """The URL of the scratch database `name`, prefixed by BENCH_DB_PREFIX (default `bench`),
    on the server BENCH_PG (default postgres://postgres@127.0.0.1:5432)."""
    prefix = os.environ.get("BENCH_DB_PREFIX", "bench")
    return f"{PG_SERVER.rstrip('/')}/{prefix}_{name}"


def ensure_database(url: str) -> bool:
    """Create the PostgreSQL database of `url` if it does not exist, then migrate it.
    Returns whether it was created."""
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", (name,)
        ).fetchone()
        if not exists:
            connection.execute(f'CREATE DATABASE "{name}"')
    manage("migrate", "--no-input", env=django_env(url))
    return not exists


def _admin(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    return parts.path.lstrip("/"), urlunsplit(parts._replace(path="/postgres"))


def fill_with_demo(url: str, companies: int) -> None:
    """Make the database of `url` hold the demo data at `companies` companies.

    The demo is loaded once per size into a template database (`bench_demo_<N>`) and each
    script's database is a copy of it (`CREATE DATABASE … TEMPLATE`, a file copy taking
    seconds), so the scripts that need the same data (api, pages, cycle, rankings) share one
    load: at 100,000 companies that load is most of `make bench --full`. The template is
    marked complete only after its load finished, so an interrupted load is redone.
    """
    import time

    import psycopg

    # One template per size on the server, whatever BENCH_DB_PREFIX a run uses: a copy is
    # migrated after it is made, so a branch with newer migrations can share it.
    template_url = f"{PG_SERVER.rstrip('/')}/bench_demo_{companies}"
    template, admin = _admin(template_url)
    name, _ = _admin(url)
    mark = f"demo data, {companies} companies, complete"
    with psycopg.connect(admin, autocommit=True) as connection:
        found = connection.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s",
            (template,),
        ).fetchone()
    if not found or found[0] != mark:
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{template}" WITH (FORCE)')
            connection.execute(f'CREATE DATABASE "{template}"')
        env = django_env(template_url)
        manage("migrate", "--no-input", env=env)
        print(f"loading {companies:,} demo companies into {template} …", flush=True)
        started = time.perf_counter()
        manage("load_demo", "--companies", str(companies), "--reset", env=env)
        print(f"  loaded in {time.perf_counter() - started:.0f} s", flush=True)
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f"COMMENT ON DATABASE \"{template}\" IS '{mark}'")
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    manage("migrate", "--no-input", env=django_env(url))
    print(f"{name}: a copy of {template}", flush=True)


def django_env(url: str, **extra) -> dict:
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "tracker.settings",
        "DEBUG": "1",
        "SECRET_KEY": os.environ.get("SECRET_KEY", "bench-only"),
        "LOG_LEVEL": "WARNING",
        **extra,
    }
    env.pop("REDIS_URL", None)  # recomputes in-process; no worker is needed
    return env


def manage(*args: str, env: dict) -> str:
    result = subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if result.returncode != 0:
        sys.exit(f"manage.py {' '.join(args)} failed:\n{result.stderr[-3000:]}")
    return result.stdout


def load_average() -> str:
    return "/".join(f"{x:.1f}" for x in os.getloadavg())


def machine() -> str:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{os.cpu_count()} cores {model}, {platform.system()} {platform.release()}"


def row(
    figure: str,
    value: float,
    *,
    unit: str = "",
    floor: float | None = None,
    target: str = "",
    met: bool | None = None,
    note: str = "",
) -> dict:
    """One figure of the `make bench` table, printed as a JSON line when the script runs with
    `--json` (bench/README.md). `floor` is the baseline measured in the same run; `met` is
    whether `target` holds (None: no target)."""
    line = {
        "figure": figure,
        "value": value,
        "unit": unit,
        "floor": floor,
        "target": target,
        "met": met,
        "note": note,
        "load": load_average(),
    }
    if "--json" in sys.argv:
        print(json.dumps(line, ensure_ascii=False), flush=True)
    return line
