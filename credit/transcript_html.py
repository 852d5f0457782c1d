"""The transcript page's rows as HTML, built in Python (issue 21): the template language cost
about 1 ms a row (twenty lookups, two URL reversals, two local dates), so a busy learner's year
of 140 sessions took the page to 30x `/healthz`. The markup is the template's, unchanged; every
value is escaped by `format_html`."""

from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

_PK = 987654321  # reversed once; each row's Child ID takes its place


def _url(name: str) -> tuple[str, str]:
    before, _, after = reverse(name, args=[_PK]).partition(str(_PK))
    return before, after


def rows_html(rows) -> SafeString:
    evaluation, certificate = _url("claim_evaluation"), _url("certificate_claim_pdf")
    return format_html_join("\n", "{}", ((_row(r, evaluation, certificate),) for r in rows))


def _row(row, evaluation: tuple[str, str], certificate: tuple[str, str]) -> SafeString:
    child = row.child
    day = child.local_start
    date = f"{day:%b} {day.day}, {day.year}"
    pk = child.pk
    note = (
        format_html('<div class="small text-body-secondary">{}</div>', row.note) if row.note else ""
    )
    answer = (
        format_html(
            '<div><a href="{}{}{}">Answer the evaluation</a></div>',
            evaluation[0],
            pk,
            evaluation[1],
        )
        if row.evaluation_due
        else ""
    )
    pdf = (
        format_html(
            '<div><a class="small" href="{}{}{}">Certificate (PDF)</a></div>',
            certificate[0],
            pk,
            certificate[1],
        )
        if row.state == "awarded"
        else ""
    )
    return format_html(
        '<tr data-child="{}" data-state="{}">'
        '<td class="text-nowrap d-none d-sm-table-cell">{}</td>'
        '<td><span class="d-sm-none small">{}<br></span>{}<br>'
        '<span class="small text-body-secondary">{} · Child ID {}</span></td>'
        '<td class="text-end">{}</td>'
        '<td class="claim-state st-claim-{}">{} {}{}{}{}</td></tr>',
        pk,
        row.state,
        date,
        date,
        child.name or child.parent.name,
        child.parent.name,
        pk,
        row.claim.credit_hours,
        row.state,
        row.icon,
        row.state_label,
        note,
        answer,
        pdf,
    )
