from django.conf import settings

from parcours.core.db import reporting_alias


def test_reports_read_from_the_primary_without_replica():
    assert "replica" not in settings.DATABASES
    assert reporting_alias() == "default"


def test_reports_read_from_the_replica_when_configured(monkeypatch):
    # The dict is patched in place and restored: Django's connection handler is left untouched.
    monkeypatch.setitem(settings.DATABASES, "replica", dict(settings.DATABASES["default"]))
    assert reporting_alias() == "replica"
