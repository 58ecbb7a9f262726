"""A background worker: settles jobs left running by a dead worker, then runs django-tasks-db's
``db_worker`` (any number of these, on any machines, against one database)."""

from django.core.management import call_command
from django.core.management.base import BaseCommand

from jobs.runner import reap


class Command(BaseCommand):
    help = "Run a background worker (reaps orphaned jobs first). Extra options go to db_worker."

    def add_arguments(self, parser):
        parser.add_argument("--batch", action="store_true", help="run what is queued, then exit")
        parser.add_argument(
            "--interval", type=float, default=0.5, help="seconds between polls of an empty queue"
        )
        parser.add_argument("--max-tasks", type=int, default=None)
        parser.add_argument("--worker-id", default=None)

    def handle(self, *args, **options):
        found = reap()
        if found:
            self.stderr.write(f"settled {len(found)} job(s) left running by a lost worker: {found}")
        extra = {"worker_id": options["worker_id"]} if options["worker_id"] else {}
        if options["max_tasks"]:
            extra["max_tasks"] = options["max_tasks"]
        call_command(
            "db_worker",
            queue_name="*",
            batch=options["batch"],
            interval=options["interval"],
            reload=False,
            startup_delay=False,
            verbosity=options["verbosity"],
            **extra,
        )
