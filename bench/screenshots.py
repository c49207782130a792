"""Take the README's screenshots (docs/screenshots/) of the demo data in chromium.

Builds a scratch SQLite database with `load_demo`, serves it with runserver on a free port,
and photographs the dashboard (city staff), the county dashboard (county staff: their
region's name in the header and title), a company page, the company portal, and two phone
views at 390 px (the rankings with the menu open, the portal's score table). Needs
Debian's chromium and a CJK font: apt-get install -y chromium fonts-wqy-zenhei.

    .venv/bin/python bench/screenshots.py [--language zh-hans|en] [--out docs/screenshots]
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
)
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
    args = parser.parse_args()
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

            context, page = session("city")
            page.goto(base + "/dashboard/")
            page.wait_for_load_state("networkidle")
            page.screenshot(path=str(out / "dashboard.png"), full_page=True)
            page.goto(base + "/rankings/")
            page.locator("#ranking-table tbody tr a").first.click()
            page.wait_for_load_state("networkidle")
            page.screenshot(path=str(out / "company.png"), full_page=True)
            context.close()

            context, page = session("county")
            page.goto(base + "/dashboard/")
            page.wait_for_load_state("networkidle")
            page.screenshot(path=str(out / "county-dashboard.png"), full_page=True)
            context.close()

            context, page = session("company")
            page.goto(base + "/portal/")
            page.wait_for_load_state("networkidle")
            page.screenshot(path=str(out / "portal.png"), full_page=True)
            context.close()

            # A phone (390 px wide): the menu folds into a button; tables scroll under a
            # name column that stays in view.
            context, page = session("city", PHONE, scale=2)
            page.goto(base + "/rankings/")
            page.click(".nav-toggle-btn")
            page.screenshot(path=str(out / "phone-menu.png"))
            context.close()
            context, page = session("company", PHONE, scale=2)
            page.goto(base + "/portal/")
            page.locator("#breakdown").scroll_into_view_if_needed()
            page.screenshot(path=str(out / "phone-portal.png"))
            context.close()
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=10)
    for name in SHOTS:
        print(out / name, f"{(out / name).stat().st_size / 1024:.0f} KB")


if __name__ == "__main__":
    main()
