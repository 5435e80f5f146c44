"""The page and its exports cost a fixed number of queries whatever the volume of pathways."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.reporting.dataset import import_dataset
from tests.reporting_web.conftest import YEAR_2024

# Session, user and memberships, the period's indicators with the year-by-year series (2 queries for
# all of them); the page also lists the form's choices, the exports do not.
PAGE_QUERIES = 7
EXPORT_QUERIES = 5


def count(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, YEAR_2024)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize(("url", "expected"), [
    ("/indicateurs/", PAGE_QUERIES),
    ("/indicateurs/export.xlsx", EXPORT_QUERIES),
    ("/indicateurs/export.csv", EXPORT_QUERIES),
    ("/indicateurs/export.pdf", EXPORT_QUERIES),
])
def test_query_count_is_pinned_and_does_not_grow_with_the_data(client, coordinator, dataset, tmp_path, url, expected):
    client.force_login(coordinator)
    assert count(client, url) == expected
    for copy in range(3):
        import_dataset(tmp_path / f"more{copy}", dataset, prefix=f"M{copy}")
    assert count(client, url) == expected
