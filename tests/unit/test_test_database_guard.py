"""The PostgreSQL fixture drops the schema of the database it is given: only a *_test one."""

from __future__ import annotations

import pytest

from tests.conftest import refuse_unless_test_database


@pytest.mark.parametrize(
    "url",
    [
        "postgresql+psycopg://packdesk:packdesk@127.0.0.1:5432/packdesk",
        "postgresql+psycopg://packdesk:packdesk@db.example.com/warehouse_test_copy",
        "postgresql+psycopg://packdesk:packdesk@127.0.0.1:5432/",
        "postgresql+psycopg://packdesk:packdesk@127.0.0.1:5432/packdesk_TEST",
    ],
)
def test_a_database_whose_name_does_not_end_in_test_is_refused_before_anything_is_dropped(
    url: str,
) -> None:
    with pytest.raises(pytest.fail.Exception, match="only run on a database whose name ends in"):
        refuse_unless_test_database(url)


@pytest.mark.parametrize(
    "url",
    [
        "postgresql+psycopg://packdesk:packdesk@127.0.0.1:5432/packdesk_test",
        "postgresql+psycopg://packdesk:packdesk@127.0.0.1:5432/packdesk_h5_test",
    ],
)
def test_a_test_database_is_accepted(url: str) -> None:
    refuse_unless_test_database(url)
