"""The demo's people and their disclosures (a share of faculty with relationships, some
expired, a few owners of ineligible companies)."""

import random
from datetime import datetime, timedelta

from disclosures.models import Company, Disclosure, FinancialRelationship
from disclosures.rules import Nature
from faculty.models import Person
from rss_dashboard.demo.names import FIRST, LAST


class People:
    """Mixed into the Builder: who exists and what they disclosed."""

    rng: random.Random
    scale: int
    now: datetime
    unusable: str
    people: list[Person]
    _emails: set[str]

    def person(self, *, first: str, last: str, email: str | None = None, **extra) -> Person:
        base = email or f"{first}.{last}".lower().replace(" ", "")
        if email is None:
            n, candidate = 1, f"{base}@umich.edu"
            while candidate in self._emails:
                n += 1
                candidate = f"{base}{n}@umich.edu"
            email = candidate
        self._emails.add(email)
        p = Person(
            email=email,
            first_name=first,
            last_name=last,
            last_name_lower=last.lower(),
            password=self.unusable,
            date_joined=self.now - timedelta(days=400),
            **extra,
        )
        self.people.append(p)
        return p

    def random_person(self, **extra) -> Person:
        return self.person(first=self.rng.choice(FIRST), last=self.rng.choice(LAST), **extra)

    # --- disclosures ---------------------------------------------------------------------------
    def _disclosures(self, faculty: list[Person], companies: list[Company]) -> None:
        rng, disclosures, relationships = self.rng, [], []
        self.relationship_people: set[int] = set()
        self.owners_of_companies: set[int] = set()
        for i, p in enumerate(faculty):
            roll = rng.random() if i else 0.5  # the demo faculty member has nothing to disclose
            if roll < 0.12:
                continue  # no disclosure on file
            if roll < 0.25:
                at = self.now - timedelta(days=rng.randint(380, 700))  # expired
            else:
                at = self.now - timedelta(days=rng.randint(2, 330))
            has_rel = roll >= 0.60
            d = Disclosure(
                person=p, submitted_at=at, nothing_to_disclose=not has_rel, attested=True
            )
            disclosures.append((d, has_rel, p))
        Disclosure.objects.bulk_create([d for d, _, _ in disclosures], batch_size=2000)
        natures = [
            Nature.CONSULTANT,
            Nature.SPEAKERS_BUREAU,
            Nature.RESEARCH_FUNDING,
            Nature.ADVISORY_BOARD,
            Nature.STOCK,
            Nature.ROYALTIES,
            Nature.HONORARIA,
        ]
        owner_quota = 3 * self.scale
        for d, has_rel, p in disclosures:
            if not has_rel:
                continue
            self.relationship_people.add(p.pk)
            for company in rng.sample(companies, rng.choice([1, 1, 2, 3])):
                nature = rng.choice(natures)
                if owner_quota and rng.random() < 0.05:
                    nature, owner_quota = Nature.OWNER, owner_quota - 1
                    self.owners_of_companies.add(p.pk)
                relationships.append(
                    FinancialRelationship(
                        disclosure=d,
                        company=company,
                        company_name=company.name,
                        nature=nature,
                        has_ended=rng.random() < 0.2,
                    )
                )
        FinancialRelationship.objects.bulk_create(relationships, batch_size=2000)
        self.latest_disclosure = {p.pk: d for d, _, p in disclosures}
        self.current_disclosers = [
            p for d, _, p in disclosures if d.submitted_at > self.now - timedelta(days=300)
        ]
