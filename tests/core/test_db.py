from parcours.core.db import reporting_alias


def test_reports_read_from_the_primary_without_replica(settings):
    settings.DATABASES = {"default": settings.DATABASES["default"]}
    assert reporting_alias() == "default"


def test_reports_read_from_the_replica_when_configured(settings):
    settings.DATABASES = {**settings.DATABASES, "replica": dict(settings.DATABASES["default"])}
    assert reporting_alias() == "replica"
