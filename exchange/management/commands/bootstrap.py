import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand

from corpus.accounts import ensure_groups
from corpus.models import Document


class Command(BaseCommand):
    help = "First-run set-up: migrate, load the seed document when there is none, create a local admin."
    # Progress goes to stderr; stdout carries only the new admin's name and one-time password, so
    # scripts/serve can print them last, after the server's banner.

    def add_arguments(self, parser):
        parser.add_argument("--no-migrate", action="store_true")

    def handle(self, *args, no_migrate: bool, **options):
        self.stderr.style_func = None  # progress, not errors: not in red
        if not no_migrate:
            call_command("migrate", interactive=False, verbosity=0)
        ensure_groups()
        if not Document.objects.exists():
            call_command(
                "import_source",
                str(settings.WORKBENCH_SEED_PATH),
                title=settings.WORKBENCH_SEED_TITLE,
                stdout=self.stderr,
            )
        user_model = get_user_model()
        if not user_model.objects.exists():
            password = secrets.token_urlsafe(12)
            user_model.objects.create_superuser(username="admin", email="", password=password)
            self.stdout.write(
                self.style.WARNING(f"Created the local admin 'admin'. Password (shown once): {password}")
            )
            self.stdout.write("A new password any time: .venv/bin/python manage.py changepassword admin")
