from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from workbench.backups import BackupError, backup


class Command(BaseCommand):
    help = "Back up the whole database to PATH with pg_dump (custom format)."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)

    def handle(self, *args, path: Path, **options):
        try:
            written = backup(path)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Backed up to {written} ({written.stat().st_size:,} bytes).")
