"""Machine-to-machine endpoints skip the browser middleware.

Twilio's messaging webhook (`/sms/inbound/`) is a signed POST without cookies: it needs no
session, user, messages, CSRF (the view is exempt), clickjacking or CSP headers, htmx, history
context or login lock-outs, and its answer is TwiML for Twilio, not a page. Under a grand-rounds
burst that stack is a large share of the work per text (docs/performance.md), so this middleware,
placed right after the request id, hands those paths straight to their views. The view itself
checks the method, the Twilio signature (against SITE_URL, not the Host header) and rate limits.
"""

from django.urls import resolve

LEAN_PATHS = frozenset({"/sms/inbound/"})


class LeanWebhookMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info not in LEAN_PATHS:
            return self.get_response(request)
        match = resolve(request.path_info)
        return match.func(request, *match.args, **match.kwargs)
