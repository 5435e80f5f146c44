"""The default demo keeps the README's promise: every referent's caseload within 60–100 (the programme's range)."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count

from parcours.demo.management.commands.demo_data import DEFAULT_PEOPLE
from parcours.pathways.models import Pathway
from parcours.plie.enums import CLOSED_STATES
from parcours.programmes.models import Programme

pytestmark = pytest.mark.django_db


def test_every_referent_of_the_default_demo_has_a_caseload_within_the_programme_range():
    call_command("load_territory", stdout=StringIO())
    call_command("demo_data", stdout=StringIO())
    programme = Programme.objects.get(kind="plie")
    assert (programme.caseload_min, programme.caseload_max) == (60, 100)
    caseloads = list(Pathway.objects.exclude(status__in=CLOSED_STATES).exclude(referent=None)
                     .values("referent").annotate(n=Count("pk")).order_by("n").values_list("n", flat=True))
    assert Pathway.objects.values("participant").distinct().count() >= DEFAULT_PEOPLE
    assert len(caseloads) >= 10 and 60 <= caseloads[0] and caseloads[-1] <= 100, caseloads
