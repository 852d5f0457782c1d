"""A test-only URLconf: the project's routes plus one that raises, never a real route."""

from django.urls import path

from rss_dashboard.urls import urlpatterns as project_patterns


def boom(request):
    raise RuntimeError("kaboom: the database password is hunter2")


urlpatterns = [path("boom/", boom), *project_patterns]
