"""What the dashboard's search form shows: what was typed, or the range actually searched, and the
<option>s of its selects built as plain strings."""

from html import escape

from django.utils.safestring import SafeString, mark_safe


def options_html(choices, selected) -> SafeString:
    """<option>s built as plain strings: hundreds of series, rendered in well under a millisecond
    (Django's select widget renders a template per option)."""
    chosen = "" if selected is None else str(selected)
    return mark_safe(
        "".join(
            f'<option value="{escape(str(value))}"'
            f"{' selected' if str(value) == chosen else ''}>{escape(str(label))}</option>"
            for value, label in choices
        )
    )


def search_values(form, filters) -> dict:
    """What the search form shows: what was typed, or the range actually searched."""
    raw = form.data if form.is_bound else {}

    def typed(name, default=""):
        value = raw.get(name)
        return value if value not in (None, "") else default

    statuses = set(raw.getlist("status")) if form.is_bound else set()
    flags = set(raw.getlist("flag")) if form.is_bound else set()
    return {
        "date_from": typed("date_from", filters.date_from.isoformat()),
        "date_to": typed("date_to", filters.date_to.isoformat()),
        "series": options_html(form.series_choices, typed("series")),
        "department": options_html(form.department_choices, typed("department")),
        "per_page": options_html(form.fields["per_page"].choices, typed("per_page", "25")),
        "faculty": typed("faculty"),
        "child_id": typed("child_id"),
        "q": typed("q"),
        "inactive": bool(typed("inactive")),
        "statuses": [
            (value, label, value in statuses) for value, label in form.fields["status"].choices
        ],
        "flags": [(value, label, value in flags) for value, label in form.fields["flag"].choices],
    }
