"""Take the README's screenshots (docs/screenshots/) of the demo data in chromium.

Builds a scratch SQLite database with `load_demo`, serves it with runserver on a free port,
and photographs the dashboard (city staff), the county dashboard (county staff: their
region's name in the header and title), a company page, the company portal, two phone
views at 390 px (the rankings with the menu open, the portal's score table), and three pages
of the yearly cycle at 1366 px: the company's submission form (its tax figure returned by
the county), the county's review queue, and an objection (the city publishes 2019 through
its page, the company files an objection, the county remarks on it). Needs Debian's
chromium and a CJK font: apt-get install -y chromium fonts-wqy-zenhei.

    .venv/bin/python bench/screenshots.py [--language zh-hans|en] [--out docs/screenshots]
        [--only submission-form.png county-queue.png …]
"""

import argparse
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHOTS = (
    "dashboard.png",
    "county-dashboard.png",
    "company.png",
    "portal.png",
    "phone-menu.png",
    "phone-portal.png",
    "submission-form.png",
    "county-queue.png",
    "objection.png",
)
WIDE = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _manage(env, *args) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True)


def _wait(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2)  # noqa: S310 - our own local server
            return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"the server at {url} did not come up")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--language", default="zh-hans", choices=["zh-hans", "en"])
    parser.add_argument("--out", default=str(ROOT / "docs" / "screenshots"))
    parser.add_argument("--only", nargs="+", choices=SHOTS, help="take only these shots")
    args = parser.parse_args()
    wanted = set(args.only or SHOTS)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)

    scratch = Path(tempfile.mkdtemp(prefix="screenshots-"))
    password = secrets.token_urlsafe(12)
    env = {
        **{k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "DATABASE_URL")},
        "DATABASE_URL": f"sqlite:///{scratch}/demo.sqlite3",
        "DEBUG": "1",
        "SECRET_KEY": secrets.token_urlsafe(40),
        "DEMO_PASSWORD": password,
    }
    # Compile the catalogues only when a .mo is missing or older than its .po (they are
    # committed; rewriting them would leave the tree changed).
    stale = [
        po
        for po in (ROOT / "locale").glob("*/LC_MESSAGES/*.po")
        if not po.with_suffix(".mo").exists()
        or po.with_suffix(".mo").stat().st_mtime < po.stat().st_mtime
    ]
    if stale:
        _manage(env, "compilemessages", "--ignore", ".venv")
    _manage(env, "migrate", "--no-input", "-v", "0")
    _manage(env, "load_demo")

    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}" + ("/en" if args.language == "en" else "")
    try:
        _wait(f"http://127.0.0.1:{port}/login/")
        from playwright.sync_api import sync_playwright

        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
            )

            def session(username, viewport=None, scale=1):
                context = browser.new_context(
                    locale="zh-CN",
                    viewport=viewport or {"width": 1280, "height": 900},
                    device_scale_factor=scale,
                )
                page = context.new_page()
                page.goto(base + "/login/")
                page.fill("#id_username", username)
                page.fill("#id_password", password)
                page.click("form:has(#id_password) [type=submit]")
                page.wait_for_load_state("networkidle")
                return context, page

            if {"dashboard.png", "company.png"} & wanted:
                context, page = session("city")
                page.goto(base + "/dashboard/")
                page.wait_for_load_state("networkidle")
                page.screenshot(path=str(out / "dashboard.png"), full_page=True)
                page.goto(base + "/rankings/")
                page.locator("#ranking-table tbody tr a").first.click()
                page.wait_for_load_state("networkidle")
                page.screenshot(path=str(out / "company.png"), full_page=True)
                context.close()

            def page_shot(name, username, path, viewport=None, full_page=True):
                """One page as one user: log in, open it, photograph it."""
                context, page = session(username, viewport)
                page.goto(base + path)
                page.wait_for_load_state("networkidle")
                page.screenshot(path=str(out / name), full_page=full_page)
                context.close()

            if "county-dashboard.png" in wanted:
                page_shot("county-dashboard.png", "county", "/dashboard/")
            if "portal.png" in wanted:
                page_shot("portal.png", "company", "/portal/")

            # A phone (390 px wide): the menu folds into a button; tables scroll under a
            # name column that stays in view.
            if "phone-menu.png" in wanted:
                context, page = session("city", PHONE, scale=2)
                page.goto(base + "/rankings/")
                page.click(".nav-toggle-btn")
                page.screenshot(path=str(out / "phone-menu.png"))
                context.close()
            if "phone-portal.png" in wanted:
                context, page = session("company", PHONE, scale=2)
                page.goto(base + "/portal/")
                page.locator("#breakdown").scroll_into_view_if_needed()
                page.screenshot(path=str(out / "phone-portal.png"))
                context.close()

            # The yearly cycle at 1366 px, the width of an office laptop.
            if "submission-form.png" in wanted:
                page_shot("submission-form.png", "company", "/reporting/portal/", WIDE)
            if "county-queue.png" in wanted:
                # The first screen of the queue: a county's is pages long.
                page_shot("county-queue.png", "county", "/reporting/queue/", WIDE, False)
            if "objection.png" in wanted:
                _objection(session, base, out)
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=10)
    for name in sorted(wanted):
        print(out / name, f"{(out / name).stat().st_size / 1024:.0f} KB")


def _objection(session, base, out) -> None:
    """An objection as its company follows it: filed with an attachment, remarked on by the
    county. The demo's 2019 ranking is published through the city's page first when no
    result of the company is on notice."""
    context, page = session("company", WIDE)
    page.goto(base + "/objections/new/")
    if not page.locator("#id_run").count():
        city, city_page = session("city", WIDE)
        city_page.goto(base + "/rankings/publish/?year=2019")
        city_page.click("form.card button.btn-primary")
        city_page.click("button[name=confirm]")
        city_page.wait_for_url("**/rankings/runs/*/")
        city.close()
        page.goto(base + "/objections/new/")
    page.select_option("#id_subject", "tax_paid")
    page.fill("#id_claimed_value", "1,286.40")
    page.fill(
        "#id_explanation",
        "公示的实缴税金漏计了第四季度补缴的增值税 112 万元，见税务局出具的完税证明。",
    )
    page.set_input_files(
        "#id_files",
        {
            "name": "2019年度完税证明.pdf",
            "mimeType": "application/pdf",
            "buffer": b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n",
        },
    )
    page.click("form.card button.btn-primary")
    page.wait_for_url("**/objections/*/")
    objection_url = page.url
    county, county_page = session("county", WIDE)
    county_page.goto(objection_url)
    county_page.check("input[name=opinion][value=supported]")
    county_page.fill("#id_remark", "已核对完税证明原件，补缴税款属实，建议采纳。")
    county_page.click("#steps button[type=submit]")
    county_page.wait_for_load_state("networkidle")
    county.close()
    page.goto(objection_url)
    page.wait_for_load_state("networkidle")
    page.screenshot(path=str(out / "objection.png"), full_page=True)
    context.close()


if __name__ == "__main__":
    main()
