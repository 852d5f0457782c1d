"""The disclosure form at its stable public address (SPEC §5) and the legacy Form.aspx link."""

from urllib.parse import urlencode

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpResponsePermanentRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from faculty.models import Assignment

from .access import form_access
from .forms import MAX_RELATIONSHIPS, DisclosureForm, relationship_formset
from .links import MAX_AGE_DAYS
from .models import Company, Disclosure
from .rules import disclosure_summary
from .services import DisclosureError, disclosure_lines_for, disclosure_submit, latest_disclosure

PREFIX = "rel"
DONE_KEY = "disclosure_done"
BLANK_ROWS = 3
MAX_COMPANIES_LISTED = 3000


def _form_url(token: str) -> str:
    url = reverse("disclosure_form")
    return f"{url}?{urlencode({'t': token})}" if token else url


def _with_one_more_row(data):
    """The add-row button: the same answers plus one blank row (works without JavaScript)."""
    data = data.copy()
    try:
        total = int(data.get(f"{PREFIX}-TOTAL_FORMS", 0))
    except ValueError:
        total = 0
    if total < MAX_RELATIONSHIPS:
        data[f"{PREFIX}-{total}-state"] = "ongoing"
        data[f"{PREFIX}-TOTAL_FORMS"] = str(total + 1)
    return data


def _previous_rows(latest: Disclosure | None) -> list[dict]:
    if latest is None:
        return []
    return [
        {
            "company_name": r.company_name,
            "nature": r.nature,
            "state": "ended" if r.has_ended else "ongoing",
        }
        for r in latest.relationships.all()
    ]


def _submit(request, person, form, formset) -> Disclosure | None:
    """Validate everything (all errors at once), then the service; None when not saved."""
    form.is_valid()
    relationships = formset.relationships() if formset.is_valid() else None
    form.check_with(relationships)
    if not form.is_valid() or relationships is None:
        return None
    try:
        return disclosure_submit(
            person=person,
            relationships=relationships,
            nothing_to_disclose=form.cleaned_data["nothing_to_disclose"],
            attested=form.cleaned_data["attested"],
            is_owner=form.cleaned_data["is_owner"],
            is_employee=form.cleaned_data["is_employee"],
            by=request.user,
        )
    except DisclosureError as exc:
        form.add_error(None, exc.message)
        return None


@never_cache
@require_http_methods(["GET", "POST"])
def disclosure_form(request):
    access = form_access(request)
    if access.problem == "login":
        return redirect_to_login(request.get_full_path())
    if access.problem:
        return render(
            request,
            "disclosures/link_problem.html",
            {"problem": access.problem, "link_path": request.get_full_path()},
            status=access.status,
        )
    person, token = access.person, access.token
    adding_row = False
    if request.method == "POST":
        adding_row = "add_row" in request.POST
        data = _with_one_more_row(request.POST) if adding_row else request.POST
        form = DisclosureForm(data)
        formset = relationship_formset(0)(data, prefix=PREFIX)
        if not adding_row:
            disclosure = _submit(request, person, form, formset)
            if disclosure is not None:
                request.session[DONE_KEY] = disclosure.pk
                return redirect("disclosure_done")
    else:
        previous = _previous_rows(latest_disclosure(person))
        form = DisclosureForm()
        formset = relationship_formset(1 if previous else BLANK_ROWS)(
            initial=previous, prefix=PREFIX
        )
    on_file = disclosure_lines_for([person.pk])[person.pk]
    return render(
        request,
        "disclosures/form.html",
        {
            "person": person,
            "form": form,
            "formset": formset,
            "show_errors": request.method == "POST" and not adding_row,
            "on_file": on_file,
            "action": _form_url(token),
            "via_link": bool(token),
            "link_days": MAX_AGE_DAYS,
            "companies": Company.objects.values_list("name", flat=True)[:MAX_COMPANIES_LISTED],
        },
    )


@never_cache
@require_GET
def disclosure_done(request):
    """After a submission (POST-redirect-GET): only the browser that submitted sees it."""
    pk = request.session.get(DONE_KEY)
    disclosure = Disclosure.objects.filter(pk=pk).select_related("person").first() if pk else None
    if disclosure is None:
        return redirect("disclosure_form")
    relationships = [
        (r.company_name, r.get_nature_display()) for r in disclosure.relationships.all()
    ]
    submitted, line = disclosure_summary(
        submitted_at=timezone.localtime(disclosure.submitted_at),
        nothing_to_disclose=disclosure.nothing_to_disclose,
        relationships=relationships,
    )
    upcoming = (
        Assignment.objects.current()
        .filter(person=disclosure.person, child__is_active=True, child__start__gte=timezone.now())
        .select_related("child", "child__parent")
        .order_by("child__start")[:50]
    )
    return render(
        request,
        "disclosures/done.html",
        {
            "disclosure": disclosure,
            "submitted_line": submitted,
            "disclosure_line": line,
            "upcoming": upcoming,
        },
    )


@require_GET
def legacy_form(request):
    """The manual's link `Form.aspx?FormID=42` keeps working; other forms never existed here."""
    if request.GET.get("FormID") != "42":
        raise Http404("No such form.")
    return HttpResponsePermanentRedirect(_form_url(request.GET.get("t", "")))
