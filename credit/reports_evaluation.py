"""CSV exports of the evaluation summary (issue 17): (filename, content_type, bytes).

The figures CSV has one row per session and one for the year; a session below MIN_GROUP
responses shows its counts of claims and responses only (as on the page). The comments CSV lists
the free-text answers, without the session when it is below MIN_GROUP. The respondents CSV is the
office's: who responded, never what.
"""

from django.utils.text import slugify

from .selectors_evaluation import EvaluationSummary, respondents
from .selectors_reports import CSV, csv_bytes


def _name(summary: EvaluationSummary, what: str) -> str:
    parent = summary.parent
    return f"evaluations-{what}-{parent.pk}-{slugify(parent.name)[:40]}-{parent.year}.csv"


def figures_csv(summary: EvaluationSummary) -> tuple[str, str, bytes]:
    header = ["Child ID", "Date", "Session", "Claims", "Responses", "Response rate (%)"]
    for q in summary.questions:
        label = q.question.text + (" (retired)" if q.question.retired_at else "")
        header += [f"{label}: mean", *(f"{label}: {r}" for r in range(1, 6))]
    rows = []
    for s in summary.sessions:
        row = [
            s.child.pk,
            s.child.local_start.strftime("%Y-%m-%d"),
            s.child.name,
            s.claims,
            s.responses,
            s.rate if s.rate is not None else "",
        ]
        for q in summary.questions:
            d = s.ratings[q.question.pk]
            row += [d.mean or "", *d.counts] if s.shown else [""] * 6
        rows.append(row)
    total = ["", "", f"All sessions {summary.parent.year}", summary.claims, summary.responses]
    total.append(summary.rate if summary.rate is not None else "")
    for q in summary.questions:
        total += [q.year.mean or "", *q.year.counts] if q.shown else [""] * 6
    rows.append(total)
    return _name(summary, "figures"), CSV, csv_bytes(header, rows)


def comments_csv(summary: EvaluationSummary) -> tuple[str, str, bytes]:
    header = ["Child ID", "Date", "Session", "Answer"]
    rows = []
    for group in summary.comments:
        child = group.child
        head = (
            [child.pk, child.local_start.strftime("%Y-%m-%d"), child.name]
            if child is not None
            else ["", "", f"Sessions with fewer than {summary.min_group} responses"]
        )
        rows += [[*head, text] for text in group.texts]
    return _name(summary, "comments"), CSV, csv_bytes(header, rows)


def respondents_csv(parent) -> tuple[str, str, bytes]:
    header = [
        "Child ID",
        "Date",
        "Session",
        "Last name",
        "First name",
        "Email",
        "Evaluation required",
        "Evaluated at",
    ]
    rows = (
        [
            c.child.pk,
            c.child.local_start.strftime("%Y-%m-%d"),
            c.child.name,
            c.learner.last_name,
            c.learner.first_name,
            c.learner.email,
            "Yes" if c.evaluation_required else "No",
            c.evaluated_at.astimezone(c.child.zone).strftime("%Y-%m-%d") if c.evaluated_at else "",
        ]
        for c in respondents(parent)
    )
    name = f"evaluations-respondents-{parent.pk}-{parent.year}.csv"
    return name, CSV, csv_bytes(header, rows)
