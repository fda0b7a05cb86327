from datetime import date, timedelta

from django.core.management.base import BaseCommand, CommandError

from common.clock import local_date
from orders.analytics.services import rollup_rebuild


class Command(BaseCommand):
    help = "Rebuild the daily per-shop rollups for a date range (default: the last 120 days)."

    def add_arguments(self, parser):
        parser.add_argument("--start", help="YYYY-MM-DD")
        parser.add_argument("--end", help="YYYY-MM-DD (inclusive)")

    def handle(self, *args, start, end, **options):
        try:
            end_day = date.fromisoformat(end) if end else local_date()
            start_day = date.fromisoformat(start) if start else end_day - timedelta(days=120)
        except ValueError as exc:
            raise CommandError(f"Dates must look like 2026-11-22: {exc}") from exc
        if start_day > end_day:
            raise CommandError("--start must not be after --end.")
        written = rollup_rebuild(start=start_day, end=end_day)
        self.stdout.write(
            self.style.SUCCESS(f"Rebuilt {written} shop-day rows for {start_day}..{end_day}.")
        )
