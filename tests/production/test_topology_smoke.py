"""The production topology, started the way an operator starts it (deploy/run-web.sh,
run-worker.sh, run-beat.sh: gunicorn, a Celery worker and beat, DEBUG off) against its own
PostgreSQL database and Redis database on this machine: log in over HTTP, edit data over the
API, and see the rankings follow."""

import re

import pytest

from tests.production.topology import (
    SEED_PASSWORD,
    flush_redis_db,
    running_topology,
    wait_until,
)

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.worker]

# The shared Redis at 6379, database 14: kept for these tests and flushed around them.
SMOKE_REDIS_URL = "redis://127.0.0.1:6379/14"


@pytest.fixture
def topology():
    flush_redis_db(SMOKE_REDIS_URL)
    try:
        with running_topology(redis_url=SMOKE_REDIS_URL) as topology:
            yield topology
    finally:
        flush_redis_db(SMOKE_REDIS_URL)


def test_log_in_edit_over_the_api_and_see_the_ranking_follow(topology):
    seeded = topology.seed(companies=3)
    first, *_rest, leader = seeded["companies"]

    # The worker ranks the seeded year by itself: the company paying most tax leads.
    scores = wait_until(
        lambda: (s := topology.scores()) and len(s) == 3 and s,
        timeout=120,
        what="the first ranking of 2019",
    )
    assert scores[leader["credit_code"]][0] == 1
    assert scores[first["credit_code"]][0] == 3

    client = topology.client()
    assert client.login(seeded["username"], "wrong-password").status == 400
    reply = client.login(seeded["username"], SEED_PASSWORD)
    assert reply.status == 200, reply.body

    path = f"/api/v1/annual-data/{first['annual_data']}/"
    record = client.request("GET", path)
    assert record.status == 200, record.body
    reply = client.request(
        "PATCH", path, {"tax_paid": "5000.00", "version": record.json()["version"]}
    )
    assert reply.status == 200, reply.body
    assert reply.json()["tax_paid"] == "5000.00"

    wait_until(
        lambda: topology.scores().get(first["credit_code"], (None,))[0] == 1,
        timeout=120,
        what="the edited company to lead the ranking",
    )

    # Static files: collected at start-up, served by whitenoise under hashed names with
    # far-future caching.
    login_page = client.request("GET", "/admin/login/")
    assert login_page.status == 200
    assert "Content-Security-Policy" in login_page.headers
    css = re.search(r'href="(/static/admin/css/base\.[0-9a-f]{12}\.css)"', login_page.body.decode())
    assert css, "the admin's stylesheet is not referenced under a hashed name"
    stylesheet = client.request("GET", css.group(1))
    assert stylesheet.status == 200
    assert "immutable" in stylesheet.headers["Cache-Control"]

    # Every process logs to stdout (collected here in one file per process).
    assert '"PATCH ' + path + ' HTTP/1.1" 200' in topology.log("web")
    assert "recompute_year" in topology.log("worker")
    assert "beat: Starting" in topology.log("beat")
