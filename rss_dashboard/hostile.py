"""Answers hostile input before it reaches a view, for the two cases no form can catch.

- A NUL byte in the query string or a posted field: PostgreSQL cannot store or compare it, so a
  search box that passes it to a query would fail with a 500. Django's form fields refuse it, but
  raw `request.GET.get("q")` does not; this refuses the request with 400 everywhere.
- An id in the URL beyond the database's 64-bit integers (`/children/99999999999999999999/`):
  the `int` converter accepts any digits and the lookup would overflow. No such row can exist: 404.
"""

from django.core.exceptions import SuspiciousOperation
from django.http import Http404

MAX_ID = 2**63 - 1


class NulByteInRequest(SuspiciousOperation):
    pass


def _has_nul(querydict) -> bool:
    return any(
        "\x00" in key or any("\x00" in v for v in values) for key, values in querydict.lists()
    )


class HostileInputMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or _has_nul(request.GET):
            raise NulByteInRequest("NUL byte in the address.")
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        # A view marked `accepts_nul_bytes` (the SMS webhook: a phone sends whatever it sends)
        # cleans the text itself.
        if (
            request.method == "POST"
            and not getattr(view_func, "accepts_nul_bytes", False)
            and _has_nul(request.POST)
        ):
            raise NulByteInRequest("NUL byte in a form field.")
        for value in list(view_args) + list(view_kwargs.values()):
            if isinstance(value, int) and not -MAX_ID <= value <= MAX_ID:
                raise Http404("No such item.")
        return None
