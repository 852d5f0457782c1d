"""The SMS burst's data (benchmarks/sms_burst.py): an approved session open now and one learner
with a mobile phone for each text."""


def phone(i: int) -> str:
    # +1 734 615 0000..9999: valid numbers for 10,000 learners (the fictional 555-0xxx block has
    # only 1,000, and the demo learner's +1 734 555 0100 is in it). Nothing is ever sent to them:
    # the reply is the webhook's answer to a request from 127.0.0.1.
    return f"+1734615{i:04d}"


def build_data(learners: int, evaluation_required: bool = False) -> int:
    """Migrate, then an approved session open now and `learners` people with phones (the series
    requiring an evaluation when asked: every reply then carries the evaluation's link)."""
    import django

    django.setup()
    from datetime import timedelta

    from django.core.management import call_command
    from django.db import connections
    from django.utils import timezone

    call_command("migrate", verbosity=0)
    from activities.models import ChildActivity, Department, ParentActivity, ParentState
    from activities.services.children import child_approve
    from activities.services.status import recompute_children
    from disclosures.models import Disclosure
    from faculty.models import Assignment, Person, Profession, SiteRole

    now = timezone.now()
    office = Person.objects.create_user(
        "office@bench.example.org", None, last_name="Office", site_role=SiteRole.REVIEWER
    )
    speaker = Person.objects.create_user("speaker@bench.example.org", None, last_name="Speaker")
    Disclosure.objects.create(
        person=speaker,
        submitted_at=now - timedelta(days=10),
        nothing_to_disclose=True,
        attested=True,
    )
    start = (now - timedelta(minutes=10)).replace(second=0, microsecond=0)
    parent = ParentActivity.objects.create(
        name="Medicine Grand Rounds",
        department=Department.objects.get_or_create(name="Internal Medicine")[0],
        year=timezone.localtime(start).year,
        state=ParentState.APPROVED,
    )
    child = ChildActivity.objects.create(
        parent=parent,
        name="Sepsis bundles in the first hour",
        start=start,
        end=start + timedelta(minutes=60),
        location="Ford Auditorium",
    )
    Assignment.objects.create(child=child, person=speaker, request_disclosure=False)
    recompute_children([child.pk])
    child = child_approve(child, reviewer=office)
    assert child.status == "approved", child.status
    if evaluation_required:
        from credit.rules_evaluation import QuestionSpec
        from credit.services_evaluation import evaluation_form_save

        evaluation_form_save(
            parent=parent,
            questions=[
                QuestionSpec("rating", "This session will change my practice."),
                QuestionSpec("text", "What will you do differently?"),
            ],
            required=True,
            by=office,
        )
    Person.objects.bulk_create(
        (
            Person(
                email=f"learner{i}@bench.example.org",
                last_name=f"Learner{i}",
                last_name_lower=f"learner{i}",
                mobile_phone=phone(i),
                profession=Profession.PHYSICIAN if i % 3 else Profession.NURSE,
                password="!",
            )
            for i in range(learners)
        ),
        batch_size=1000,
    )
    connections.close_all()
    return child.pk
