import json
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from corpus.errors import WorkbenchError
from corpus.models import Document
from exchange.imports import translations_import


class Command(BaseCommand):
    help = "Import a TMX, XLIFF, TSV or JSONL file into a document's translations, all or nothing."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument("--document", type=int, required=True)
        parser.add_argument("--language", required=True)
        parser.add_argument("--format", choices=["tmx", "xliff", "tsv", "jsonl"], required=True)
        parser.add_argument("--user", required=True, help="the account the import is recorded under")
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args, path, document, language, format, user, dry_run, **options):
        account = get_user_model().objects.filter(username=user).first()
        if account is None:
            raise CommandError(f"No user named '{user}'.")
        target = Document.objects.filter(pk=document).first()
        if target is None:
            raise CommandError(f"No document {document}.")
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(f"{path}: cannot read the file: {error.strerror or error}") from error
        try:
            report = translations_import(
                document=target, data=data, format=format, language=language, actor=account, dry_run=dry_run
            )
        except WorkbenchError as error:
            raise CommandError(f"{path}: {error.message}") from error
        self.stdout.write(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
