from django.core.management.base import BaseCommand

from orders.finance.tasks import finance_settle_task


class Command(BaseCommand):
    help = "Settle completed orders whose hold has ended into the available balance."

    def add_arguments(self, parser):
        parser.add_argument(
            "--date", help="YYYY-MM-DD (end of that day, platform zone) or an ISO datetime"
        )

    def handle(self, *args, date=None, **options):
        self.stdout.write(f"settled {finance_settle_task(as_of=date)} orders")
