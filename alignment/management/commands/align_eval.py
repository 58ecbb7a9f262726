"""Align a gold set and print pooled strict and lax precision, recall and F1.

Folders: ``--src DIR --tgt DIR --gold DIR`` align every document (files of the same name in the
three folders). Files: ``--src FILE --tgt FILE --gold FILE`` score one document, e.g. the PUD set:
``--src-lang zh --tgt-lang en --src pud-zh-ko-en/zh.txt --tgt pud-zh-ko-en/en.txt
--gold pud-zh-ko-en/gold.align`` (its gold is the identity alignment, valid for every pair).
"""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError

from alignment.evaluation import evaluate


class Command(BaseCommand):
    help = "Align every document of a gold set and print strict and lax P/R/F1 (README scoring)."

    def add_arguments(self, parser):
        parser.add_argument("--src-lang", required=True)
        parser.add_argument("--tgt-lang", required=True)
        parser.add_argument("--src", required=True, help="folder (or one file) of source sentences")
        parser.add_argument("--tgt", required=True, help="folder (or one file) of target sentences")
        parser.add_argument("--gold", required=True, help="folder (or one file) of gold beads")

    def handle(self, *args, **options):
        started = time.perf_counter()
        try:
            scores = evaluate(
                options["src"],
                options["tgt"],
                options["gold"],
                src_lang=options["src_lang"],
                tgt_lang=options["tgt_lang"],
            )
        except (OSError, ValueError) as error:
            raise CommandError(str(error)) from error
        for line in scores.as_lines():
            self.stdout.write(line)
        self.stdout.write(f"time {time.perf_counter() - started:.2f} s")
