import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from corpus.errors import WorkbenchError
from exchange.exports import PAIRS, export_request, stream_export
from exchange.formats import WRITERS


class Command(BaseCommand):
    help = (
        "Export aligned bilingual units from one consistent snapshot. Prints the next cursor on stderr; "
        "pass it to --since next time to get exactly what changed."
    )

    def add_arguments(self, parser):
        parser.add_argument("--pair", choices=sorted(PAIRS), required=True)
        parser.add_argument("--format", choices=sorted(WRITERS), required=True)
        parser.add_argument("--status", default="approved", help="approved (default), any, or a comma list")
        parser.add_argument("--document", action="append", default=[], help="document id (repeatable)")
        parser.add_argument("--since", default=None, help="the cursor of a previous export")
        parser.add_argument("--output", type=Path, default=None, help="file to write (default: stdout)")

    def handle(self, *args, pair, format, status, document, since, output, **options):
        try:
            request = export_request(pair=pair, format=format, status=status, documents=document, since=since)
            stream = stream_export(request)
            cursor = next(stream)
        except WorkbenchError as error:
            raise CommandError(error.message) from error
        target = output.open("wb") if output else sys.stdout.buffer
        show = output is not None and sys.stderr.isatty()
        try:
            with tqdm(total=None, unit="B", unit_scale=True, disable=not show, file=sys.stderr) as bar:
                for chunk in stream:
                    target.write(chunk)
                    bar.update(len(chunk))
        finally:
            stream.close()
            if output:
                target.close()
            else:
                target.flush()
        self.stderr.write(f"next cursor: {cursor}")
