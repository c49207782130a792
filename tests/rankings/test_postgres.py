import time

import psycopg
import pytest
from django.db import connection, transaction

from companies.models import AnnualData
from rankings.models import CompanyScore, DirtyYear
from rankings.services import rankings_publish, rankings_recompute
from rankings.sql import storage
from tests.factories import make_user
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


# --- each run's rows in a table of its own (rankings.sql.storage) -------------------------


def _run_tables() -> dict[str, int]:
    """The parent's children and how many rows each holds. (A test that commits leaves its
    tables behind, emptied by the flush that ends it.)"""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
            "WHERE i.inhparent = 'rankings_companyscore'::regclass ORDER BY c.relname"
        )
        names = [row[0] for row in cursor.fetchall()]
        counts = {}
        for name in names:
            cursor.execute(f'SELECT count(*) FROM "{name}"')
            counts[name] = cursor.fetchone()[0]
    return counts


def _live_tables() -> dict[str, int]:
    return {name: count for name, count in _run_tables().items() if count}


def _only_parent_rows() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM ONLY rankings_companyscore")
        return cursor.fetchone()[0]


def _comment(table: str) -> str | None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT obj_description(to_regclass(%s), 'pg_class')", [table])
        return cursor.fetchone()[0]


def test_a_recompute_writes_its_run_into_its_own_table_and_retires_the_previous_one():
    a = rated_company(tax_paid=100)
    rated_company(tax_paid=50)
    first = rankings_recompute(year=2019)
    assert _live_tables() == {storage.run_table_name(first.pk): 2}
    assert _only_parent_rows() == 0

    AnnualData.objects.filter(company=a).update(tax_paid=10)
    second = rankings_recompute(year=2019)
    # The previous run's rows are deleted (older snapshots still see them) and its table is
    # marked retired, to be dropped once no snapshot can read it; the ORM reads the new run.
    assert _live_tables() == {storage.run_table_name(second.pk): 2}
    assert _run_tables()[storage.run_table_name(first.pk)] == 0
    assert _comment(storage.run_table_name(first.pk)).startswith("retired ")
    assert _comment(storage.run_table_name(second.pk)) is None
    assert (
        list(
            CompanyScore.objects.filter(run=second)
            .order_by("position")
            .values_list("company", flat=True)
        )[-1]
        == a.pk
    )
    assert not CompanyScore.objects.filter(run_id=first.pk).exists()
    # Ids come from the parent's sequence: no two rows of any runs share one.
    ids = list(CompanyScore.objects.values_list("id", flat=True))
    assert len(ids) == len(set(ids)) == 2


@pytest.mark.django_db(transaction=True)
def test_a_retired_table_is_dropped_once_no_snapshot_can_read_it():
    """A reader whose REPEATABLE READ snapshot began before the next run committed still
    reads the old run whole; its table is dropped only after that reader is done."""
    rated_company(tax_paid=100)
    rated_company(tax_paid=50)
    first = rankings_recompute(year=2019)
    reader = psycopg.connect(_dsn(), autocommit=False)
    try:
        reader.execute("BEGIN ISOLATION LEVEL REPEATABLE READ")
        reader.execute("SELECT count(*) FROM rankings_rankingrun")  # the snapshot is taken

        second = rankings_recompute(year=2019)  # commits; its on_commit tries to drop
        old = storage.run_table_name(first.pk)
        assert old in _run_tables()  # kept: the reader's snapshot predates the retirement
        count = reader.execute(
            "SELECT count(*) FROM rankings_companyscore WHERE run_id = %s", [first.pk]
        ).fetchone()[0]
        assert count == 2
        assert storage.drop_retired() == []
    finally:
        reader.rollback()
        reader.close()
    assert _dropped_soon(old)
    assert _run_tables()[storage.run_table_name(second.pk)] == 2


def _dropped_soon(table: str) -> bool:
    """The table is gone, or goes within a second of trying again: a drop is put off while any
    session of the test database (another test's connection closing) holds an older snapshot."""
    for _attempt in range(20):
        if table not in _run_tables():
            return True
        storage.drop_retired()
        time.sleep(0.05)
    return table not in _run_tables()


def _dsn() -> str:
    settings = connection.settings_dict
    return (
        f"host={settings['HOST'] or '127.0.0.1'} port={settings['PORT'] or 5432} "
        f"user={settings['USER']} dbname={settings['NAME']}"
    )


def test_a_published_run_is_a_table_of_its_own_and_outlives_the_next_recompute():
    rated_company(tax_paid=100)
    rated_company(tax_paid=50)
    rankings_recompute(year=2019)
    DirtyYear.objects.all().delete()
    published = rankings_publish(year=2019, user=make_user("city", username="publisher"))
    provisional = rankings_recompute(year=2019)
    assert _live_tables() == {
        storage.run_table_name(published.pk): 2,
        storage.run_table_name(provisional.pk): 2,
    }
    assert [s.city_rank for s in CompanyScore.objects.filter(run=published)] == [1, 2]


def test_rows_written_into_the_parent_before_go_with_their_run():
    """Runs written before each had a table of its own keep their rows in the parent."""
    rated_company(tax_paid=100)
    run = rankings_recompute(year=2019)
    with connection.cursor() as cursor:
        cursor.execute(
            f"ALTER TABLE {storage.score_table(run.pk)} NO INHERIT rankings_companyscore"
        )
        cursor.execute(
            f"INSERT INTO rankings_companyscore SELECT * FROM {storage.score_table(run.pk)}"
        )
        cursor.execute(f"DROP TABLE {storage.score_table(run.pk)}")
    assert _only_parent_rows() == 1
    rankings_recompute(year=2019)
    assert _only_parent_rows() == 0


def test_a_run_table_has_the_indexes_of_the_model():
    """RUN_TABLE_INDEXES repeats the parent's indexes (the model's Meta and its keys): a page
    of one run is read along the same index on its own table as on the parent."""
    rated_company(tax_paid=100)
    run = rankings_recompute(year=2019)

    def index_columns(table):
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT regexp_replace(pg_get_indexdef(indexrelid), '^.* USING btree ', '') "
                "FROM pg_index WHERE indrelid = %s::regclass",
                [table],
            )
            return sorted(row[0].replace('"', "") for row in cursor.fetchall())

    assert index_columns(storage.run_table_name(run.pk)) == index_columns("rankings_companyscore")


@pytest.mark.django_db(transaction=True)
def test_deleting_a_run_through_the_orm_drops_its_table():
    rated_company(tax_paid=100)
    run = rankings_recompute(year=2019)
    table = storage.run_table_name(run.pk)
    assert table in _run_tables()
    run.delete()
    assert _dropped_soon(table)


def test_a_comment_of_someone_else_on_a_run_table_is_left_alone():
    rated_company(tax_paid=100)
    run = rankings_recompute(year=2019)
    table = storage.run_table_name(run.pk)
    with connection.cursor() as cursor:
        cursor.execute(f"COMMENT ON TABLE {table} IS 'retired when the auditors say so'")
    assert storage.drop_retired() == []
    assert _live_tables() == {table: 1}
