"""Run the order beat jobs by hand, for any moment (operators and tests).

manage.py orders_sweep                          # both, now
manage.py orders_sweep --date 2026-03-31        # as of the end of that platform day
manage.py orders_sweep --only complete          # completion after the return window only
"""

from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from common.clock import day_end
from orders.services.fulfillment.cancel import accept_unanswered_cancel_requests
from orders.services.fulfillment.delivery import complete_delivered_orders


class Command(BaseCommand):
    help = "Accept unanswered cancellation requests and complete delivered orders."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="YYYY-MM-DD: act as of the end of that platform day")
        parser.add_argument("--only", choices=["cancel", "complete"])

    def handle(self, *args, date: str | None = None, only: str | None = None, **options):
        now = timezone.now()
        if date:
            try:
                day = _parse(date)
            except ValueError:
                raise CommandError("--date must be YYYY-MM-DD") from None
            now = day_end(day)
        if only in (None, "cancel"):
            n = accept_unanswered_cancel_requests(now=now)
            self.stdout.write(f"Cancellation requests accepted automatically: {n}")
        if only in (None, "complete"):
            n = complete_delivered_orders(now=now)
            self.stdout.write(f"Orders completed after the return window: {n}")


def _parse(value: str) -> date:
    return date.fromisoformat(value)
