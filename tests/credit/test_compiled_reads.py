"""credit.compiled_reads: a statement compiled once returns, for any values, the rows the ORM
returns (issue 21)."""

from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import Count, Sum

from credit import compiled_reads
from credit.models import Claim, ClaimChannel
from tests import factories as f

pytestmark = pytest.mark.django_db


def _per_year(learner_id: int, year: int):
    return (
        Claim.objects.filter(learner_id=learner_id, year__lte=year)
        .values_list("year")
        .annotate(hours=Sum("credit_hours"), n=Count("*"))
        .order_by("-year")
    )


def _inlined(learner_id: int):
    return Claim.objects.filter(learner_id=learner_id).values_list("id")[:learner_id]


@pytest.fixture
def claims():
    learners = [f.person(), f.person()]
    for i, year in enumerate((2024, 2025, 2026, 2026)):
        child = f.child(f.parent(year=year), start=f.local(year, 3, 1 + i), recompute=False)
        for n, learner in enumerate(learners[: 1 + i % 2]):
            Claim.objects.create(
                learner=learner,
                child=child,
                channel=ClaimChannel.WEB,
                credit_hours=Decimal("0.75") * (1 + n),
            )
    return learners


def test_the_rows_are_the_querysets_for_every_value(claims):
    for learner in claims:
        for year in (2024, 2025, 2026):
            for limit in (None, 1):
                expected = list(_per_year(learner.pk, year)[:limit])
                got = compiled_reads.rows(Claim, _per_year, learner.pk, year, limit=limit)
                assert [tuple(r) for r in got] == expected
    assert compiled_reads.rows(Claim, _per_year, claims[1].pk, 2026) == [
        (2026, Decimal("1.50"), 1),
        (2025, Decimal("1.50"), 1),
    ]


@pytest.mark.postgres
def test_a_value_the_orm_writes_into_the_statement_is_refused(claims):
    """A slice bound is inlined, not a parameter: swapping stand-ins would miss it."""
    assert connection.vendor == "postgresql"
    with pytest.raises(ValueError, match="must be a parameter"):
        compiled_reads.rows(Claim, _inlined, claims[0].pk)
