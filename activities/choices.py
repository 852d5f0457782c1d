"""The states and kinds of a series, its files and the office's tickets (the models' choices;
also importable from activities.models)."""

from django.db import models


class ParentState(models.TextChoices):
    DRAFT = "draft", "Draft (awaiting the office)"
    APPROVED = "approved", "Approved"


class ChildFileKind(models.TextChoices):
    SUPPORTING = "supporting", "Supporting documentation (internal)"
    UPLOADED = "uploaded", "Uploaded file"


class TicketKind(models.TextChoices):
    NEW_CHILD_REQUEST = "new_child", "Request for a new child activity"
    NOT_APPROVED_3_DAYS = "not_approved", "Not approved 3 business days before"
    CONTACT = "contact", "Contact the office (Help page)"
    OTHER = "other", "Other"


class TicketState(models.TextChoices):
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"
