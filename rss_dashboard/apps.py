from django.apps import AppConfig


class RssDashboardConfig(AppConfig):
    name = "rss_dashboard"
    verbose_name = "Site (outbox, settings)"

    def ready(self):
        from rss_dashboard import retention, tasks  # noqa: F401 - registers the outbox's tasks

        retention.connect()
