"""Shared fixtures, and the rule for tests that need real services.

Tests marked `postgres`, `redis` or `worker` skip with a reason when the service is absent,
unless REQUIRE_SERVICES=1 (set by .ci/run), in which case absence is a failure.
"""

import os
import socket

import pytest
from django.db import connection
from django.utils import translation

from core.roles import Role
from tests.factories import AnnualDataFactory, CompanyFactory, make_user, region

REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES") == "1"


def _redis_reachable() -> bool:
    from urllib.parse import urlparse

    url = urlparse(os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0")
    try:
        with socket.create_connection((url.hostname or "127.0.0.1", url.port or 6379), timeout=1):
            return True
    except OSError:
        return False


def _missing(reason: str):
    if REQUIRE_SERVICES:
        pytest.fail(f"{reason} (REQUIRE_SERVICES=1)")
    pytest.skip(reason)


def pytest_collection_modifyitems(items):
    """Give every transactional test a serialized rollback.

    A transactional test ends by flushing every table, which also removes the rows our data
    migrations wrote (regions, industries, role groups, the default scoring scheme). With a
    serialized rollback the test database's initial contents are restored before each such
    test, so a transactional test never sees, or leaves behind, a database without them.
    """
    for item in items:
        names = getattr(item, "fixturenames", None)
        if names is None or "django_db_serialized_rollback" in names:
            continue
        marker = item.get_closest_marker("django_db")
        transactional = (
            "transactional_db" in names
            or "live_server" in names
            or (marker is not None and marker.kwargs.get("transaction"))
        )
        if transactional:
            names.append("django_db_serialized_rollback")
            if "reference_data" not in names:
                names.insert(0, "reference_data")


# The data migrations that seed what every page needs, re-run by `reference_data`
# (added to every transactional test by pytest_collection_modifyitems above).
SEEDING_MIGRATIONS = [
    ("companies.migrations.0002_reference_data", "load"),
    ("companies.migrations.0003_role_groups", "create_role_groups"),
    ("companies.migrations.0008_surveillance_audit_permissions", "grant"),
    ("rankings.migrations.0002_default_scheme", "create_default_scheme"),
    ("rankings.migrations.0003_role_permissions", "grant"),
    ("reporting.migrations.0002_role_permissions", "grant"),
]


@pytest.fixture
def reference_data(transactional_db):
    """Make sure the rows the data migrations seed are there.

    `serialized_rollback` restores them after each transactional test's flush, but only when
    the connection in the test's context carries the serialized copy; when an ordinary `db`
    test set the database up before Playwright started, it does not (seen on PostgreSQL), and
    the second browser test would find no regions. Re-running the seeding migrations then
    restores exactly what `migrate` would."""
    import importlib
    from types import SimpleNamespace

    from django.apps import apps
    from django.core.management.sql import emit_post_migrate_signal
    from django.db import connection

    from companies.models import Region

    if Region.objects.exists():
        return
    emit_post_migrate_signal(verbosity=0, interactive=False, db=connection.alias)
    editor = SimpleNamespace(connection=connection)
    for module, function in SEEDING_MIGRATIONS:
        getattr(importlib.import_module(module), function)(apps, editor)


@pytest.fixture(autouse=True)
def _require_services(request):
    if request.node.get_closest_marker("postgres") and connection.vendor != "postgresql":
        # Not a missing service: this pass runs on SQLite; .ci/run repeats the suite on PostgreSQL.
        pytest.skip("PostgreSQL only: runs in the DATABASE_URL=postgres://… pass")
    if (request.node.get_closest_marker("redis") or request.node.get_closest_marker("worker")) and (
        not _redis_reachable()
    ):
        _missing("needs Redis at REDIS_URL or 127.0.0.1:6379")


@pytest.fixture(autouse=True)
def _no_leftover_language():
    # A request or a test may activate a language on this thread; without a reset the next
    # test would inherit it and pass or fail depending on the order the tests run in.
    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    # Factories hash a password for every user; PBKDF2 would dominate the suite's run time.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def yongkang():
    return region("330784")


@pytest.fixture
def yiwu():
    return region("330782")


@pytest.fixture
def world(db, yongkang, yiwu):
    """Two companies in two regions and one user per role, the county user and the company
    user bound to Yongkang and its company."""
    own = CompanyFactory(name="永康自有企业", region=yongkang)
    other = CompanyFactory(name="义乌他方企业", region=yiwu)
    users = {
        "admin": make_user(Role.ADMIN, username="t-admin"),
        "city": make_user(Role.CITY, username="t-city"),
        "county": make_user(Role.COUNTY, region=yongkang, username="t-county"),
        "company": make_user(Role.COMPANY, company=own, username="t-company"),
        "norole": make_user(None, username="t-norole"),
    }
    return {"own": own, "other": other, "users": users}


@pytest.fixture
def tax_years(world):
    """The own company's 2018 (tax 700) and 2019 (tax 800): the base of the year-on-year
    warning tests (companies.plausibility) on every path."""
    own = world["own"]
    return {
        2018: AnnualDataFactory(company=own, year=2018, tax_paid=700),
        2019: AnnualDataFactory(company=own, year=2019, tax_paid=800),
    }
