from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from workbench.backups import BackupError, restore


class Command(BaseCommand):
    help = (
        "Restore a backup made by `backup` (pg_restore, one transaction), replacing the database's content."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument(
            "--database", default=None, help="restore into this database instead (created if missing)"
        )

    def handle(self, *args, path: Path, database: str | None, **options):
        try:
            name = restore(path, database=database)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Restored {path} into database {name}.")
