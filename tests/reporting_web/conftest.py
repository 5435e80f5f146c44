import pytest

from tests.reporting.dataset import import_dataset


@pytest.fixture
def dataset(tmp_path, territory):
    """The hand-checked data set of tests/reporting (figures for 2024 in EXPECTED)."""
    import_dataset(tmp_path / "set", territory)
    return territory


YEAR_2024 = {"date_from": "2024-01-01", "date_to": "2024-12-31"}
