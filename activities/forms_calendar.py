"""Forms of the series' recurrence window and the calendar's move (drag and drop)."""

import re
from datetime import date

from django import forms

from rss_dashboard import limits

from . import recurrence as rec
from .forms import DateInput, TimeInput
from .models import ParentActivity

_DATE_US = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")


def parse_dates(text: str) -> tuple[list[date], list[str]]:
    """Dates one per line (or comma-separated): 2026-11-26 or 11/26/2026. Returns (dates, bad)."""
    found, bad = [], []
    for piece in re.split(r"[\n,;]+", text or ""):
        piece = piece.strip()
        if not piece:
            continue
        try:
            if m := _DATE_US.match(piece):
                found.append(date(int(m[3]), int(m[1]), int(m[2])))
            else:
                found.append(date.fromisoformat(piece))
        except ValueError:
            bad.append(piece)
    return sorted(set(found)), bad


class RecurrenceForm(forms.Form):
    frequency = forms.ChoiceField(
        label="How often", choices=rec.FREQUENCIES, widget=forms.RadioSelect
    )
    weekdays = forms.MultipleChoiceField(
        label="On", choices=rec.WEEKDAYS, widget=forms.CheckboxSelectMultiple
    )
    ordinal = forms.TypedChoiceField(
        label="Which week of the month (monthly only)",
        choices=rec.ORDINALS,
        coerce=int,
        required=False,
        empty_value=None,
    )
    start_time = forms.TimeField(label="Start time", widget=TimeInput)
    exceptions = forms.CharField(
        label="Exception dates (no session)",
        required=False,
        max_length=limits.RECURRENCE,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One date per line, e.g. 2026-11-26 or 11/26/2026.",
    )

    def __init__(self, *args, parent: ParentActivity, **kwargs):
        self.parent = parent
        if "initial" not in kwargs:
            found = rec.parse(parent.recurrence)
            kwargs["initial"] = {
                "frequency": found.frequency if found else "weekly",
                "weekdays": list(found.weekdays) if found else [],
                "ordinal": found.ordinal if found else None,
                "start_time": parent.default_start_time,
                "exceptions": "\n".join(parent.exception_dates or []),
            }
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean()
        if data.get("frequency") == "monthly" and not data.get("ordinal"):
            self.add_error("ordinal", "Choose which week of the month.")
        dates, bad = parse_dates(data.get("exceptions", ""))
        if bad:
            self.add_error("exceptions", f"Not a date: {', '.join(bad)}.")
        outside = [d for d in dates if d.year != self.parent.year]
        if outside:
            self.add_error(
                "exceptions",
                f"Exception dates must be in {self.parent.year}: "
                + ", ".join(d.isoformat() for d in outside)
                + ".",
            )
        data["exception_dates"] = dates
        if data.get("frequency") and data.get("weekdays") and not self.errors:
            data["rule"] = rec.Recurrence(
                data["frequency"],
                tuple(data["weekdays"]),
                data.get("ordinal") if data["frequency"] == "monthly" else None,
            ).rrule()
        return data


class MoveForm(forms.Form):
    date = forms.DateField(label="New date", widget=DateInput)
    time = forms.TimeField(label="New start time", required=False, widget=TimeInput)
    # The version the move was based on: without it a move would overwrite someone else's
    # change unseen, so a missing one is refused like a stale one.
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, max_value=2**31 - 1)
