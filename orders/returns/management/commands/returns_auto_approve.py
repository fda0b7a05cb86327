from datetime import date

from django.core.management.base import BaseCommand

from orders.returns.tasks import returns_auto_approve_task


class Command(BaseCommand):
    help = "Warn sellers about unanswered return requests and auto-approve overdue ones."

    def add_arguments(self, parser):
        parser.add_argument("--date", type=date.fromisoformat, help="YYYY-MM-DD (default today)")

    def handle(self, *args, date=None, **options):
        result = returns_auto_approve_task(on_date=date.isoformat() if date else None)
        self.stdout.write(f"approved {result['approved']}, warned {result['warned']}")
