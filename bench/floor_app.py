"""The floor of bench/api.py: a tiny WSGI app (no Django) serving the same pages as the API
lists, each read with one hand-written SQL statement and encoded with orjson. bench/api.py runs
it under the same gunicorn worker setup as the product, so what the API costs above this is
the framework, the authentication, the scoping, the count and the serialisation.

    GET /companies/?region=<id>&run=<id>   the company list's page (region, by city rank, 50)
    GET /scores/?run=<id>                  the scores list's page (a run, by position, 50)
    GET /ping/                             no database: the server's own ceiling

The database comes from DATABASE_URL (PostgreSQL); one connection per server thread.
"""

from __future__ import annotations

import os
import threading
from urllib.parse import parse_qs

import orjson
import psycopg
from psycopg.rows import dict_row

PAGE = 50
_local = threading.local()

COMPANIES = """
SELECT c.id, c.credit_code, c.name, c.region_id AS region, r.name_zh AS region_name,
       c.industry_id AS industry, i.name_zh AS industry_name,
       c.key_industry_id AS key_industry, k.name_zh AS key_industry_name,
       c.address, c.founded_on, c.above_size, c.land_area_mu, c.is_pilot, c.pilot_year,
       c.rated, c.contact_person, c.contact_phone, c.version, c.created_at, c.updated_at,
       s.city_rank, s.total AS score, s.grade
FROM rankings_companyscore s
JOIN companies_company c ON c.id = s.company_id
JOIN companies_region r ON r.id = c.region_id
JOIN companies_industry i ON i.id = c.industry_id
LEFT JOIN companies_keyindustry k ON k.id = c.key_industry_id
WHERE s.run_id = %(run)s AND c.region_id = %(region)s
ORDER BY s.position
LIMIT %(page)s
"""

SCORES = """
SELECT s.*, run.year, run.kind AS run_kind, r.name_zh AS region_name,
       i.name_zh AS industry_name
FROM rankings_companyscore s
JOIN rankings_rankingrun run ON run.id = s.run_id
JOIN companies_region r ON r.id = s.region_id
JOIN companies_industry i ON i.id = s.industry_id
WHERE s.run_id = %(run)s
ORDER BY s.position
LIMIT %(page)s
"""


def _connection():
    connection = getattr(_local, "connection", None)
    if connection is None or connection.closed:
        connection = psycopg.connect(
            os.environ["DATABASE_URL"], autocommit=True, row_factory=dict_row
        )
        _local.connection = connection
    return connection


def _rows(sql: str, params: dict) -> list[dict]:
    with _connection().cursor() as cursor:
        cursor.execute(sql, {**params, "page": PAGE})
        return cursor.fetchall()


def application(environ, start_response):
    path = environ.get("PATH_INFO", "")
    query = {k: int(v[0]) for k, v in parse_qs(environ.get("QUERY_STRING", "")).items()}
    if path == "/ping/":
        body = orjson.dumps({"ok": True})
    elif path == "/companies/":
        body = orjson.dumps({"results": _rows(COMPANIES, query)}, default=str)
    elif path == "/scores/":
        body = orjson.dumps({"results": _rows(SCORES, query)}, default=str)
    else:
        start_response("404 Not Found", [("Content-Type", "text/plain")])
        return [b"not found"]
    start_response(
        "200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))]
    )
    return [body]
