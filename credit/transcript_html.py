"""The transcript page's rows as HTML, built in Python (issue 21): the template language cost
about 1 ms a row (twenty lookups, two URL reversals, two local dates), so a busy learner's year
of 140 sessions took the page to 30x `/healthz`. The markup is the template's, unchanged; every
value is escaped."""

from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

_PK = 987654321  # reversed once; each row's Child ID takes its place


def _url(name: str) -> tuple[str, str]:
    before, _, after = reverse(name, args=[_PK]).partition(str(_PK))
    return before, after


def rows_html(rows) -> SafeString:
    evaluation, certificate = _url("claim_evaluation"), _url("certificate_claim_pdf")
    return mark_safe("\n".join(_row(r, evaluation, certificate) for r in rows))


def _row(row, evaluation: tuple[str, str], certificate: tuple[str, str]) -> str:
    """One row's markup: every value escaped (`escape`), one string built (format_html's
    per-argument checks cost more than the row's own work)."""
    child = row.child
    day = child.local_start
    date = escape(f"{day:%b} {day.day}, {day.year}")
    pk, state = escape(child.pk), escape(row.state)
    series = escape(child.parent.name)
    note = row.note
    note = f'<div class="small text-body-secondary">{escape(note)}</div>' if note else ""
    answer = (
        f'<div><a href="{evaluation[0]}{pk}{evaluation[1]}">Answer the evaluation</a></div>'
        if row.evaluation_due
        else ""
    )
    pdf = (
        f'<div><a class="small" href="{certificate[0]}{pk}{certificate[1]}">Certificate (PDF)</a>'
        "</div>"
        if state == "awarded"
        else ""
    )
    return (
        f'<tr data-child="{pk}" data-state="{state}">'
        f'<td class="text-nowrap d-none d-sm-table-cell">{date}</td>'
        f'<td><span class="d-sm-none small">{date}<br></span>{escape(child.name) or series}<br>'
        f'<span class="small text-body-secondary">{series} · Child ID {pk}</span></td>'
        f'<td class="text-end">{escape(row.claim.credit_hours)}</td>'
        f'<td class="claim-state st-claim-{state}">{row.icon} {escape(row.state_label)}'
        f"{note}{answer}{pdf}</td></tr>"
    )
