"""The page after an institution's sign-in that did not sign anyone in (faculty/views/saml.py,
faculty/views/oidc.py)."""

from django.shortcuts import render


def sso_problem(request, *, method: str, outcome=None, status: int = 403):
    """The page after an institution's sign-in that did not sign anyone in."""
    if outcome is not None and outcome.code == "held":
        return render(request, "registration/held.html", {"hold": outcome.hold}, status=200)
    message = outcome.message if outcome is not None and outcome.message else ""
    return render(
        request,
        "registration/sso_problem.html",
        {"method": method, "message": message, "unreachable": status == 503},
        status=status,
    )
