import time

from django.core.management.base import BaseCommand

from activities.services.status import recompute_all


class Command(BaseCommand):
    help = "Recompute the derived status, COI status and readiness flags of every child activity."

    def handle(self, *args, **options):
        began = time.monotonic()
        changed = recompute_all()
        self.stdout.write(
            f"Recomputed all children: {changed} changed in {time.monotonic() - began:.1f}s."
        )
