from django.core.management.base import BaseCommand, CommandError

from common.clock import local_date
from lifecycle.services.inactivity.sweep import SweepDateError, parse_sweep_date, sweep_inactivity


class Command(BaseCommand):
    help = (
        "Run the daily inactivity sweep (SPEC §9.2) for a platform-calendar date; the same code "
        "the beat runs. --dry-run reports what would happen and changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--date", help="YYYY-MM-DD, today or earlier (default: today)")
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args, date=None, dry_run=False, **options):
        try:
            run_date = parse_sweep_date(date) if date else local_date()
            result = sweep_inactivity(run_date=run_date, dry_run=dry_run)
        except SweepDateError as error:
            raise CommandError(str(error)) from None
        if result.skipped:
            self.stdout.write(f"{run_date}: skipped, another sweep for this date holds the lock.")
            return
        heading = "would" if dry_run else "did"
        self.stdout.write(f"Inactivity sweep for {run_date} ({heading}):")
        for name, count in result.counts.items():
            self.stdout.write(f"  {name.replace('_', ' ')}: {count}")
        if dry_run:
            self.stdout.write("Dry run: nothing was changed.")
