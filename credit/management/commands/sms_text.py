"""Try the text conversation without a phone: `manage.py sms_text +17345550100 "1234"`."""

from django.core.management.base import BaseCommand

from credit.services_sms import handle_inbound


class Command(BaseCommand):
    help = "Handle one inbound text as if Twilio had posted it, and print the reply."

    def add_arguments(self, parser):
        parser.add_argument("phone", help="the sender, e.g. +17345550100 (the demo learner)")
        parser.add_argument("body", help="the text, e.g. the Child ID")

    def handle(self, *args, phone, body, **options):
        reply = handle_inbound(phone, body)
        self.stdout.write(reply or "(no reply: this phone sent STOP)")
