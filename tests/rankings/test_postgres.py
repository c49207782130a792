import pytest
from django.db import connection, transaction

from rankings.services import rankings_recompute
from tests.rankings.helpers import rated_company

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def test_planner_settings_do_not_leak_into_the_enclosing_transaction():
    rated_company(tax_paid=10)
    names = ("work_mem", "enable_nestloop", "jit")
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(f"current_setting('{n}')" for n in names))
        before = cursor.fetchone()
        rankings_recompute(year=2019)
        cursor.execute("SELECT " + ", ".join(f"current_setting('{n}')" for n in names))
        assert cursor.fetchone() == before
