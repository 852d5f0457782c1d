import time

from django.core.management.base import BaseCommand, CommandError

from rss_dashboard.demo import already_seeded, seed_demo


class Command(BaseCommand):
    help = "Create a realistic demo institution for the current year and print the demo logins."

    def add_arguments(self, parser):
        parser.add_argument(
            "--seed", type=int, default=1, help="random seed (same seed, same data)"
        )
        parser.add_argument(
            "--scale", type=int, default=1, help="1 = ~2,000 sessions; 10 = ~20,000"
        )
        parser.add_argument(
            "--years",
            type=int,
            default=1,
            help="years of history: 5 = this year and the four before (issue 21)",
        )
        parser.add_argument(
            "--if-empty", action="store_true", help="do nothing if demo data exists"
        )

    def handle(self, *args, seed: int, scale: int, years: int, if_empty: bool, **options):
        if scale < 1 or scale > 50:
            raise CommandError("--scale must be between 1 and 50.")
        if years < 1 or years > 10:
            raise CommandError("--years must be between 1 and 10.")
        if already_seeded():
            if if_empty:
                self.stdout.write("Demo data already present.")
                self._print_logins()
                return
            raise CommandError("Demo data already exists; use a fresh database (or --if-empty).")
        began = time.monotonic()
        result = seed_demo(seed=seed, scale=scale, years=years)
        self.stdout.write(
            self.style.SUCCESS(
                f"Seeded {result.year}: {result.parents} series, {result.children} sessions, "
                f"{result.people} people, {result.claims} claims in {time.monotonic() - began:.1f}s."
            )
        )
        if result.history_children:
            self.stdout.write(
                f"History: {years - 1} years before, {result.history_children} sessions, "
                f"{result.history_claims} claims."
            )
        self.stdout.write(f"Session open for claiming now: Child ID {result.open_child_id}")
        self._print_logins()

    def _print_logins(self):
        from rss_dashboard.demo import DEMO_LEARNER_PHONE, DEMO_PASSWORD

        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        for email in ("admin", "reviewer", "coordinator", "owner", "faculty", "learner"):
            self.stdout.write(f"  {email}@example.org")
        self.stdout.write(f"  (the learner's phone for SMS claims: {DEMO_LEARNER_PHONE})")
