from django.core.management.base import BaseCommand

from jobs.runner import reap


class Command(BaseCommand):
    help = "Settle jobs whose worker died: requeue them, or fail them once their attempts are spent."

    def handle(self, *args, **options):
        found = reap()
        self.stdout.write(f"{len(found)} job(s) settled: {found}")
