"""Forms of the dashboard and its windows. Forms check what the user typed; services check rules."""

from datetime import date, datetime, timedelta

from django import forms
from django.urls import reverse
from django.utils import timezone

from faculty.models import Profession
from rss_dashboard import limits
from rss_dashboard.uploads import UploadError

from .dashboard.selectors_search import FLAG_CHOICES, DashboardFilters
from .models import ChildActivity, ChildFileKind, ParentActivity, Specialty
from .rules import ChildStatus
from .services.children import ChildError, check_in_parent_year, check_times
from .services.files import check_child_file

PER_PAGE_CHOICES = [(25, "25"), (50, "50"), (100, "100")]
TEXTING_WARNING = "Do not edit this information. Otherwise, credit claiming may not work."


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%H:%M")


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Zero or more files in one input."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"multiple": True}))
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(d, initial) for d in data if d]
        return [super().clean(data, initial)] if data else []


def _local(d: date, t, zone) -> datetime:
    return datetime.combine(d, t, tzinfo=zone)


class IdsField(forms.ModelMultipleChoiceField):
    """Model choices by id that refuses ids beyond 64 bits before they reach the database: SQLite
    cannot bind them (a 500 instead of "Select a valid choice"), and no row has one."""

    def _check_values(self, value):
        for pk in value:
            text = str(pk).strip()
            if text.lstrip("-").isdigit() and not -(2**63) <= int(text) < 2**63:
                raise forms.ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": text},
                )
        return super()._check_values(value)


# --- dashboard search ---------------------------------------------------------------------------


class DashboardFilterForm(forms.Form):
    date_from = forms.DateField(label="From", required=False, widget=DateInput)
    date_to = forms.DateField(label="To", required=False, widget=DateInput)
    # Series and department are checked against the user's own lists (below), not ChoiceFields: an
    # administrator has hundreds of series and Django normalises every choice on each request.
    series = forms.IntegerField(label="Series", required=False)
    department = forms.IntegerField(label="Department", required=False)
    status = forms.MultipleChoiceField(
        label="Child status",
        required=False,
        choices=ChildStatus.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    flag = forms.MultipleChoiceField(
        label="Readiness flags",
        required=False,
        choices=FLAG_CHOICES,
        widget=forms.CheckboxSelectMultiple,
    )
    faculty = forms.CharField(label="Faculty (Last, First)", required=False, max_length=100)
    child_id = forms.IntegerField(
        label="Child ID", required=False, min_value=1, max_value=2**31 - 1
    )
    q = forms.CharField(label="Text", required=False, max_length=200)
    inactive = forms.BooleanField(label="Include deactivated", required=False)
    per_page = forms.TypedChoiceField(
        label="Rows per page", required=False, coerce=int, choices=PER_PAGE_CHOICES, empty_value=25
    )

    def __init__(self, *args, series_options=(), today: date | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today or timezone.localdate()
        self.series_choices = [("", "All my series")] + [
            (p.pk, f"{p.name} ({p.year})") for p in series_options
        ]
        departments = sorted({(p.department_name, p.department_id) for p in series_options})
        self.department_choices = [("", "All departments")] + [
            (pk, name) for name, pk in departments
        ]

    def _one_of(self, name: str, choices) -> int | None:
        value = self.cleaned_data.get(name)
        if value is not None and not any(value == pk for pk, _label in choices):
            raise forms.ValidationError(
                "Select a valid choice. That choice is not one of the available choices."
            )
        return value

    def clean_series(self):
        return self._one_of("series", self.series_choices)

    def clean_department(self):
        return self._one_of("department", self.department_choices)

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", "The end of the range is before its start.")
        return data

    def filters(self) -> DashboardFilters:
        default = DashboardFilters.default(self.today)
        if not self.is_bound or not self.is_valid():
            return default
        data = self.cleaned_data
        return DashboardFilters(
            date_from=data["date_from"] or default.date_from,
            date_to=data["date_to"] or default.date_to,
            parent_id=data["series"],
            department_id=data["department"],
            statuses=tuple(data["status"]),
            flags=tuple(data["flag"]),
            faculty=data["faculty"].strip(),
            child_id=data["child_id"],
            text=data["q"].strip(),
            include_inactive=data["inactive"],
            today=self.today,
        )

    def rows_per_page(self) -> int:
        if self.is_bound and self.is_valid() and self.cleaned_data["per_page"]:
            return self.cleaned_data["per_page"]
        return 25


# --- RSS Activity Editor --------------------------------------------------------------------------


class ChildEditForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    name = forms.CharField(
        label="Name",
        max_length=255,
        required=False,
        help_text="The topic that will be discussed; it appears on learners' transcripts. No "
        "series name, date or weekday.",
    )
    location = forms.CharField(label="Location", max_length=255, required=False)
    date = forms.DateField(label="Date", widget=DateInput)
    start_time = forms.TimeField(label="Start time", widget=TimeInput)
    end_time = forms.TimeField(label="End time", widget=TimeInput)
    objectives = forms.CharField(
        label="Objectives",
        required=False,
        max_length=limits.OBJECTIVES,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    texting_minutes_prior = forms.IntegerField(
        label="Allow Texting Minutes Prior", min_value=0, max_value=7 * 24 * 60
    )
    texting_minutes_after = forms.IntegerField(
        label="Allow Texting Minutes After", min_value=0, max_value=60 * 24 * 60
    )
    specialties = IdsField(
        label="Specialties",
        queryset=Specialty.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    professions = forms.MultipleChoiceField(
        label="Professions",
        choices=Profession.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    supporting_files = MultipleFileField(
        label="Add supporting documentation (internal)",
        help_text="Not visible to the public; for internal purposes only.",
    )
    uploaded_files = MultipleFileField(label="Add uploaded files")
    remove_files = forms.MultipleChoiceField(
        label="Remove files", required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, child: ChildActivity, files_on_record=(), is_admin=False, **kwargs):
        self.child = child
        if "initial" not in kwargs:
            start, end = child.local_start, child.local_end
            kwargs["initial"] = {
                "version": child.version,
                "name": child.name,
                "location": child.location,
                "date": start.date(),
                "start_time": start.time().replace(second=0, microsecond=0),
                "end_time": end.time().replace(second=0, microsecond=0),
                "objectives": child.objectives,
                "texting_minutes_prior": child.texting_minutes_prior,
                "texting_minutes_after": child.texting_minutes_after,
                "specialties": list(child.specialties.all()),
                "professions": list(child.professions),
            }
        super().__init__(*args, **kwargs)
        self.fields["remove_files"].choices = [
            (str(f.pk), f.original_name) for f in files_on_record
        ]
        for field in ("texting_minutes_prior", "texting_minutes_after"):
            self.fields[field].help_text = TEXTING_WARNING
            if not is_admin:
                # Disabled fields ignore what is posted: only administrators change these.
                self.fields[field].disabled = True
                self.fields[field].help_text += " Only administrators can change it."

    def clean(self):
        data = super().clean()
        day, start_time, end_time = data.get("date"), data.get("start_time"), data.get("end_time")
        if day and start_time and end_time:
            zone = self.child.zone
            start, end = _local(day, start_time, zone), _local(day, end_time, zone)
            try:
                check_times(start, end)
            except ChildError as exc:
                self.add_error("end_time", exc.message)
            try:
                check_in_parent_year(self.child.parent, start, self.child.time_zone)
            except ChildError as exc:
                self.add_error("date", exc.message)
            data["start"], data["end"] = start, end
        for field in ("supporting_files", "uploaded_files"):
            for upload in data.get(field) or []:
                try:
                    check_child_file(upload)
                except UploadError as exc:
                    self.add_error(field, exc.message)
        return data

    def changes(self) -> dict:
        """The child's fields to save (texting minutes only when the user may change them)."""
        data = self.cleaned_data
        fields = {
            "name": data["name"].strip(),
            "location": data["location"].strip(),
            "start": data["start"],
            "end": data["end"],
            "objectives": data["objectives"],
            "professions": list(data["professions"]),
        }
        for field in ("texting_minutes_prior", "texting_minutes_after"):
            if not self.fields[field].disabled:
                fields[field] = data[field]
        return fields

    def new_files(self) -> list[tuple[str, object]]:
        return [(ChildFileKind.SUPPORTING, f) for f in self.cleaned_data["supporting_files"]] + [
            (ChildFileKind.UPLOADED, f) for f in self.cleaned_data["uploaded_files"]
        ]


# --- adding a child -------------------------------------------------------------------------------


class ChildAddForm(forms.Form):
    series = forms.TypedChoiceField(label="Series", coerce=int)
    date = forms.DateField(label="Date", widget=DateInput)
    start_time = forms.TimeField(label="Start time", widget=TimeInput)
    end_time = forms.TimeField(label="End time", widget=TimeInput)
    name = forms.CharField(
        label="Name", max_length=255, required=False, help_text="The topic, if you know it."
    )
    location = forms.CharField(label="Location", max_length=255, required=False)
    needs_evaluation = forms.BooleanField(
        label="This session needs an evaluation",
        required=False,
        help_text="Sessions with an evaluation are set up by the office.",
    )
    note = forms.CharField(
        label="Note for the office (only used for a request)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, parents=(), **kwargs):
        # Its own ids: the window opens over the dashboard, whose search has a "series" field too.
        kwargs.setdefault("auto_id", "add_%s")
        super().__init__(*args, **kwargs)
        self.parents = {p.pk: p for p in parents}
        self.fields["series"].choices = [("", "Choose a series")] + [
            (p.pk, f"{p.name} ({p.year})") for p in parents
        ]
        # Choosing a series reloads the form with that series' defaults, sending what was typed
        # along (#add-typed) so that nothing typed is lost (issue 14).
        self.fields["series"].widget.attrs.update(
            {
                "data-hx-get": reverse("child_new"),
                "data-hx-trigger": "change",
                "data-hx-target": "#window-content",
                "data-hx-include": "this, #add-typed",
            }
        )

    def clean(self):
        data = super().clean()
        parent = self.parents.get(data.get("series"))
        day, start_time, end_time = data.get("date"), data.get("start_time"), data.get("end_time")
        if parent and day and start_time and end_time:
            start, end = _local(day, start_time, parent.zone), _local(day, end_time, parent.zone)
            try:
                check_times(start, end)
            except ChildError as exc:
                self.add_error("end_time", exc.message)
            try:
                check_in_parent_year(parent, start)
            except ChildError as exc:
                self.add_error("date", exc.message)
            data.update(parent=parent, start=start, end=end)
        return data


# The fields whose typed values survive a change of series.
ADD_TYPED_FIELDS = (
    "date",
    "start_time",
    "end_time",
    "name",
    "location",
    "needs_evaluation",
    "note",
)


def add_form_initial(
    parent: ParentActivity | None,
    today: date,
    *,
    typed: dict | None = None,
    next_free: date | None = None,
) -> dict:
    """What "Add a session" shows: what was typed wins; then the series' defaults (its next
    free meeting day, time, duration and location); the date falls back to a week ahead."""
    initial: dict = {"date": next_free or today + timedelta(days=7)}
    if parent is not None:
        initial["series"] = parent.pk
        initial["location"] = parent.default_location
        if parent.default_start_time:
            begin = datetime.combine(today, parent.default_start_time)
            initial["start_time"] = parent.default_start_time
            initial["end_time"] = (
                begin + timedelta(minutes=parent.default_duration_minutes)
            ).time()
    initial.update({k: v for k, v in (typed or {}).items() if k in ADD_TYPED_FIELDS and v})
    return initial
