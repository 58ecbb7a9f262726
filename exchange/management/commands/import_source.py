from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from corpus.errors import WorkbenchError
from exchange.sources import document_import


class Command(BaseCommand):
    help = "Import a Chinese source document (UTF-8 text), all or nothing."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument("--title", default="")

    def handle(self, *args, path: Path, title: str, **options):
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(f"{path}: cannot read the file: {error.strerror or error}") from error
        try:
            result = document_import(data=data, file_name=path.name, title=title)
        except WorkbenchError as error:
            raise CommandError(f"{path}: {error.message}") from error
        document = result.document
        if result.created:
            self.stdout.write(
                f"Imported document {document.pk} '{document.title}': {result.segments} segments, "
                f"{result.translations} translations from the source."
            )
        else:
            self.stdout.write(
                f"Already imported as document {document.pk} '{document.title}'; nothing changed."
            )
