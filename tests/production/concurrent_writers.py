"""Run by test_concurrent_writes.py in a process of its own, on a SQLite file: one thread per
annual-data row, each with its own database connection, all released at once to PATCH their
row through the API with the version they read. Prints the outcome as JSON.

Usage: python -m tests.production.concurrent_writers USER_ID ROW_ID [ROW_ID ...]
(DATABASE_URL names the SQLite file; the settings are the product's own.)
"""

import json
import os
import sys
import threading

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")
django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connections  # noqa: E402
from rest_framework.test import APIClient  # noqa: E402


def main(user_id: int, row_ids: list[int]) -> dict:
    user = get_user_model().objects.get(pk=user_id)
    start = threading.Barrier(len(row_ids))
    outcome = {}

    def write(row_id: int) -> None:
        client = APIClient(raise_request_exception=False)  # a server error is a 500
        client.force_authenticate(user)
        path = f"/api/v1/annual-data/{row_id}/"
        try:
            version = client.get(path).json()["version"]
            start.wait(timeout=30)
            response = client.patch(
                path, {"tax_paid": f"{row_id}.00", "version": version}, format="json"
            )
            outcome[row_id] = {"status": response.status_code, "read_version": version}
            if response.status_code >= 400:
                outcome[row_id]["body"] = response.content.decode()[:500]
        except Exception as exc:  # reported, so the test shows what went wrong
            outcome[row_id] = {"status": None, "error": repr(exc)}
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(row_id,)) for row_id in row_ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcome


if __name__ == "__main__":
    user_id, *row_ids = (int(arg) for arg in sys.argv[1:])
    print(json.dumps(main(user_id, row_ids)))
