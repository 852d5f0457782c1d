"""The statements a certificate prints, from whoever owns their wording.

The site-wide accreditation and credit designation templates are the flyers' (Admin > Flyer
statements). `credit` may not import `flyers` (apps depend in one direction), so flyers registers
its renderer here when it starts (flyers/apps.py); without it, the AMA's standard wording with
PROVIDER_NAME is used.
"""

from collections.abc import Callable

from django.conf import settings

# parent -> (accreditation statement, credit designation statement)
StatementSource = Callable[[object], tuple[str, str]]
_source: StatementSource | None = None


def provide_statements(source: StatementSource) -> None:
    global _source
    _source = source


def default_statements(parent) -> tuple[str, str]:
    provider = settings.PROVIDER_NAME
    credit_type = parent.credit_type.replace("(TM)", "\u2122").replace(
        "Credit\u2122", "Credit(s)\u2122"
    )
    return (
        f"{provider} is accredited by the Accreditation Council for Continuing Medical Education "
        "(ACCME) to provide continuing medical education for physicians.",
        f"{provider} designates this live activity for a maximum of {parent.credit_hours} "
        f"{credit_type}. Physicians should claim only the credit commensurate with the extent of "
        "their participation in the activity.",
    )


def statements_for(parent) -> tuple[str, str]:
    if _source is not None:
        try:
            return _source(parent)
        except Exception:  # noqa: BLE001 - a broken template must not withhold a certificate
            pass
    return default_statements(parent)
