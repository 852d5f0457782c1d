"""Email backends for the outbox tests (importable by dotted path, unlike a test module)."""

from django.core.mail.backends import locmem


class FlakyBackend(locmem.EmailBackend):
    """Raises the queued failures one send at a time, then delivers to the locmem outbox."""

    failures: list[BaseException] = []

    def send_messages(self, messages):
        if FlakyBackend.failures:
            raise FlakyBackend.failures.pop(0)
        return super().send_messages(messages)
