"""Align two files of one sentence per line and print one bead per line: ``[0, 1]:[0]:0.93``."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from alignment.aligner import align
from alignment.evaluation import format_bead, read_lines


class Command(BaseCommand):
    help = "Align SRC_FILE and TGT_FILE (one sentence per line, no re-splitting); print beads."

    def add_arguments(self, parser):
        parser.add_argument("--src-lang", required=True)
        parser.add_argument("--tgt-lang", required=True)
        parser.add_argument("src_file")
        parser.add_argument("tgt_file")

    def handle(self, *args, **options):
        try:
            src = read_lines(options["src_file"])
            tgt = read_lines(options["tgt_file"])
        except OSError as error:
            raise CommandError(str(error)) from error
        beads = align(src, tgt, src_lang=options["src_lang"], tgt_lang=options["tgt_lang"])
        for bead in beads:
            self.stdout.write(format_bead(bead.src, bead.tgt, bead.score))
