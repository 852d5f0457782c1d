"""The transcript's reads are compiled once (rss_dashboard.compiled.ReadByIds): for every learner,
year and page size they return the rows the ORM returns (issue 21)."""

from decimal import Decimal

import pytest

from credit import selectors_transcripts as t
from credit.models import Claim, ClaimChannel, LateClaimRequest
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def learners():
    people = [f.person(), f.person()]
    for i, year in enumerate((2024, 2025, 2026, 2026)):
        child = f.child(f.parent(year=year), start=f.local(year, 3, 1 + i), recompute=False)
        for n, learner in enumerate(people[: 1 + i % 2]):
            Claim.objects.create(
                learner=learner,
                child=child,
                channel=ClaimChannel.WEB,
                credit_hours=Decimal("0.75") * (1 + n),
            )
        LateClaimRequest.objects.create(learner=people[0], child=child, reason=f"late {i}")
    return people


def test_each_read_returns_the_orms_rows_for_every_value(learners):
    for learner in learners:
        ids = [learner.pk]
        for year in (2024, 2025, 2026):
            for newest in (None, 1):
                expected = list(t._page_rows(ids, year=year, newest=newest))
                assert t._read_page_rows(ids, year=year, newest=newest) == expected
        assert t._read_year_groups(ids) == list(t._year_groups(ids))
        assert t._read_late_rows(ids) == list(t._late_rows(ids))
    assert len(t._read_late_rows([learners[0].pk])) == 4
    assert t._read_late_rows([learners[1].pk]) == []
    assert t._read_page_rows([learners[0].pk], year=2026, newest=1)[0][0] == 2026
