"""Figures: time and peak memory to refuse each hand-built bomb workbook, beside an honest
10,000-row workbook read by the same reader in the same run (the baseline).

Each file is read in a child process of its own, so its peak RSS is its own; a child still
running after --timeout seconds is stopped and reported so. With --before REV the reader of
that git revision is measured too (the figures of the report that asked for bounds).

    .venv/bin/python bench/upload_bombs.py [--before REV] [--timeout 120]
"""

import argparse
import json
import os
import resource
import secrets
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _files(folder: Path) -> dict[str, Path]:
    from openpyxl import Workbook

    from tests.imports import bombs

    long_text = secrets.token_hex(200_000)
    made = {
        "honest 10,000 rows × 16 columns (baseline)": None,
        "declares A1:XFD1048576, a cell in that corner": bombs.dimension_bomb(),
        "no <dimension>, a cell at XFD1048576": bombs.undeclared_far_row(),
        "1 GB string in 1 MB": bombs.string_bomb(1024),
        "100 MB string in 100 KB (ratio)": bombs.string_bomb(100),
        "400,000-character text": bombs.workbook(
            bombs.sheet(
                f'<row r="1"><c r="A1" t="inlineStr"><is><t>{long_text}</t></is></c></row>', "A1"
            )
        ),
    }
    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(["统一社会信用代码", "年度", "企业名称"] + [f"指标{i}" for i in range(13)])
    for row in range(10_000):
        sheet.append([f"91330700MA{row:08d}", 2019, f"测试企业{row}"] + [row * 1.5] * 13)
    baseline = folder / "baseline.xlsx"
    book.save(baseline)
    paths = {}
    for number, (label, data) in enumerate(made.items()):
        path = baseline if data is None else folder / f"bomb{number}.xlsx"
        if data is not None:
            path.write_bytes(data)
        paths[label] = path
    return paths


def _child(path: str, reader_folder: str) -> None:
    os.environ.setdefault("DEBUG", "1")
    os.environ.setdefault("SECRET_KEY", "bench-only")
    os.environ["DJANGO_SETTINGS_MODULE"] = "tracker.settings"
    import django

    django.setup()
    import openpyxl  # noqa: F401 - loaded before the clock starts, as in a warm worker

    if reader_folder:
        sys.path.insert(0, reader_folder)
        import readers_before as readers
    else:
        from tracker.imports import readers
    data = Path(path).read_bytes()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    try:
        outcome = f"read {len(readers.read_table(data, 'x.xlsx').rows):,} rows"
    except Exception as exc:
        outcome = f"{type(exc).__name__}: {exc}"
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"outcome": outcome, "seconds": seconds, "before": before, "peak": peak}))


def _measure(path: Path, reader_folder: str, timeout: float) -> str:
    command = [sys.executable, __file__, "--child", str(path), "--reader-folder", reader_folder]
    try:
        run = subprocess.run(command, capture_output=True, text=True, timeout=timeout, cwd=ROOT)
    except subprocess.TimeoutExpired:
        return f"| still reading after {timeout:.0f} s, stopped | — | — |"
    if run.returncode != 0:
        return f"| died: {run.stderr.strip().splitlines()[-1][:120]} | — | — |"
    result = json.loads(run.stdout.strip().splitlines()[-1])
    grown = (result["peak"] - result["before"]) / 1024
    return f"| {result['outcome'][:90]} | {result['seconds']:.3f} s | +{grown:,.0f} MB |"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", default="", help="also measure this git revision's reader")
    parser.add_argument("--timeout", type=float, default=120)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--reader-folder", default="", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(args.child, args.reader_folder)
        return

    folder = Path(tempfile.mkdtemp(prefix="bench-bombs-"))
    readers = {"this reader": ""}
    if args.before:
        old = folder / "before"
        old.mkdir()
        source = subprocess.run(
            ["git", "show", f"{args.before}:tracker/imports/readers.py"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        (old / "readers_before.py").write_text(source)
        readers[f"reader of {args.before}"] = str(old)
    print(f"load average {os.getloadavg()[0]:.1f}")
    print("| file | size | reader | outcome | time | peak RSS growth |")
    print("|---|---:|---|---|---:|---:|")
    for label, path in _files(folder).items():
        for reader, reader_folder in readers.items():
            size = f"{path.stat().st_size / 1024:,.1f} KB"
            print(f"| {label} | {size} | {reader} " + _measure(path, reader_folder, args.timeout))


if __name__ == "__main__":
    main()
