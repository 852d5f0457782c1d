"""The demo institution's reporting to ACCME: most series' PARS fields filled (some not, so the
checker has something to say), a quarter registered for ABIM MOC and a few for ABP, a fifth
reporting to state boards; half the physician learners gave their identifiers (most with
permission, a few with a mistyped NPI). Deterministic for the builder's seed."""

from datetime import date, timedelta
from decimal import Decimal

from credit.pars.codes import Board, Delivery, Fee, Outcome, Providership, Registration
from credit.pars.models import (
    BoardIdentifier,
    CommercialSupport,
    LearnerIdentity,
    MocRegistration,
    SeriesReport,
)
from credit.pars.rules import npi_check_digit

DESCRIPTION = (
    "{name}: a weekly series for the department's physicians, residents and staff. Each "
    "session reviews current evidence and local cases and ends with changes to practice."
)


def seed_pars(rng, *, parents, learners, demo_learner, now) -> None:
    reports, moc, support = [], [], []
    year = parents[0].year if parents else now.year
    for i, p in enumerate(parents):
        roll = rng.random()
        partial = i == 0 or roll < 0.15  # the demo coordinator's first series is unfinished
        reports.append(
            SeriesReport(
                parent=p,
                description="" if partial else DESCRIPTION.format(name=p.name),
                delivery=[Delivery.IN_PERSON] + ([Delivery.LIVE_STREAMED] if roll < 0.6 else []),
                city="Ann Arbor",
                state="MI",
                country="USA",
                providership="" if partial and roll < 0.08 else Providership.DIRECT,
                designed=[Outcome.COMPETENCE, Outcome.PERFORMANCE],
                evaluated=[] if partial else [Outcome.COMPETENCE],
                commercial_support="yes" if roll > 0.95 else "no",
                cme_finder="no",
                state_boards=0.2 < roll < 0.4,
                accme_activity_id=f"2{year % 100:02d}{i:06d}" if roll > 0.1 else "",
                locked_at=None if partial or roll > 0.7 else now,
            )
        )
    SeriesReport.objects.bulk_create(reports, batch_size=2000)
    for r in reports:
        roll = rng.random()
        if roll < 0.25:
            moc.append(_moc(r, Board.ABIM, "40", "Medical Knowledge", year))
        if roll < 0.05:
            moc.append(_moc(r, Board.ABP, "10", "Lifelong Learning and Self-Assessment", year))
        if r.commercial_support == "yes":
            support.append(
                CommercialSupport(
                    report=r, source="Acme Pharmaceuticals", kind="monetary", amount=Decimal("2500")
                )
            )
    MocRegistration.objects.bulk_create(moc, batch_size=2000)
    CommercialSupport.objects.bulk_create(support)
    _identities(rng, learners, demo_learner, now)


def _moc(report, board, points, credit_type, year) -> MocRegistration:
    return MocRegistration(
        report=report,
        board=board,
        practice_areas="Internal Medicine",
        credit_types=credit_type,
        points=Decimal(points),
        fee=Fee.FREE,
        registration=Registration.LIMITED,
        url="https://cme.example.org/rss",
        claim_date=date(year + 1, 1, 31),
    )


def _npi(rng) -> str:
    nine = f"1{rng.randrange(10**8):08d}"
    return nine + npi_check_digit(nine)


def _identities(rng, learners, demo_learner, now) -> None:
    identities, ids = [], []
    for person in learners:
        if person.profession != "physician":
            continue
        if person is not demo_learner and rng.random() >= 0.5:
            continue
        npi = _npi(rng)
        if rng.random() < 0.03:
            npi = npi[:-1] + str((int(npi[-1]) + 1) % 10)  # a mistyped check digit
        consent = now - timedelta(days=rng.randint(1, 300)) if rng.random() < 0.9 else None
        identities.append(
            LearnerIdentity(
                person=person,
                npi=npi,
                birth_month=rng.randint(1, 12),
                birth_day=rng.randint(1, 28),
                license_state="MI",
                license_number=f"43010{rng.randrange(10**5):05d}",
                state_consent_at=consent,
            )
        )
        roll = rng.random()
        if person is demo_learner or roll < 0.4:
            ids.append(
                BoardIdentifier(
                    person=person,
                    board=Board.ABIM,
                    board_id=f"{rng.randrange(10**5, 10**6)}",
                    consent_at=consent,
                )
            )
        if roll < 0.05:
            ids.append(
                BoardIdentifier(
                    person=person,
                    board=Board.ABP,
                    board_id=f"{rng.randrange(10**5, 10**6)}",
                    consent_at=consent,
                )
            )
    LearnerIdentity.objects.bulk_create(identities, batch_size=2000)
    BoardIdentifier.objects.bulk_create(ids, batch_size=2000)
