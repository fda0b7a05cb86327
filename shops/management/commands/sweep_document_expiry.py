"""Run the daily document-expiry sweep (SPEC §2) for a given day: notices 30 and 7 days ahead,
expired documents, and expired business licences back to review.

    manage.py sweep_document_expiry                 # today, platform time zone
    manage.py sweep_document_expiry --date 2026-12-01
"""

from datetime import date

from django.core.management.base import BaseCommand
from django.utils import timezone

from shops.services.expiry import document_expiry_sweep


class Command(BaseCommand):
    help = "Send document expiry notices and handle expired documents for one day."

    def add_arguments(self, parser):
        parser.add_argument("--date", type=date.fromisoformat, default=None)

    def handle(self, *args, date=None, **options):
        counts = document_expiry_sweep(today=date or timezone.localdate())
        self.stdout.write(
            f"{counts['notices']} notice(s), {counts['expired']} expired, "
            f"{counts['back_to_review']} shop(s) back to review."
        )
