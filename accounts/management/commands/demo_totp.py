"""Print the current sign-in code of the demo authenticator (development and test only)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import totp

from accounts.demo import DEMO_TOTP_SECRET, demo_totp_key


class Command(BaseCommand):
    help = "Print the current two-step code for the seeded demo users."

    def handle(self, *args, **options):
        if settings.PRODUCTION:
            raise CommandError("demo_totp refuses to run on the production profile.")
        self.stdout.write(f"{totp(demo_totp_key(), step=30, digits=6):06d}")
        self.stderr.write(f"(demo secret {DEMO_TOTP_SECRET}; a new code every 30 seconds)")
