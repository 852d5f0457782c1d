import json

from django.core.management.base import BaseCommand

from activities.selectors_status_counts import status_counts
from credit.selectors_counts import claim_counts
from rss_dashboard.replica import replica_reads


class Command(BaseCommand):
    help = "Counts of parents, children by status and readiness flag, assignments by COI status, claims."

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help="print JSON")

    def handle(self, *args, **options):
        with replica_reads():  # counts only: the replica, when there is one
            counts = {**status_counts(), "claims": claim_counts()}
        if options["json"]:
            self.stdout.write(json.dumps(counts, indent=2))
            return
        self.stdout.write(f"Parents: {counts['parents']}")
        self.stdout.write(
            f"Children: {counts['children']} active, {counts['children_deactivated']} deactivated"
        )
        for section in ("status", "flags", "assignments", "claims"):
            self.stdout.write(f"{section.capitalize()}:")
            for label, n in counts[section].items():
                self.stdout.write(f"  {label:<28} {n:>8}")
