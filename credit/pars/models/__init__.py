"""Reporting to ACCME: the series' PARS fields, learners' identifiers and consent, the record
of every learner completion exported and the boards' answers, the year's program summary."""

from .learners import BoardIdentifier, LearnerIdentity
from .ledger import AnswerImport, CompletionExport, CompletionRecord
from .series import (
    ActivityExport,
    CommercialSupport,
    MocRegistration,
    ReportingYear,
    SeriesReport,
)

__all__ = [
    "ActivityExport",
    "AnswerImport",
    "BoardIdentifier",
    "CommercialSupport",
    "CompletionExport",
    "CompletionRecord",
    "LearnerIdentity",
    "MocRegistration",
    "ReportingYear",
    "SeriesReport",
]
