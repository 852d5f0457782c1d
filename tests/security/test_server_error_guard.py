from django.core.signals import got_request_exception
from django.test import RequestFactory


def test_a_server_error_anywhere_is_caught_by_the_suite(server_errors):
    request = RequestFactory().get("/boom/")
    got_request_exception.send(sender=None, request=request)
    assert server_errors.errors == ["/boom/"]
    server_errors.errors.clear()  # this test raised it on purpose
