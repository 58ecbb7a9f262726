import secrets

from django.core.management.base import BaseCommand, CommandError

from corpus.accounts import account_create
from corpus.errors import WorkbenchError


class Command(BaseCommand):
    help = "Create a translator or editor account; prints a random password once."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--role", choices=["translator", "editor"], required=True)
        parser.add_argument("--languages", default="", help="comma-separated target languages (default: all)")
        parser.add_argument("--email", default="")

    def handle(self, *args, username, role, languages, email, **options):
        password = secrets.token_urlsafe(12)
        langs = [code.strip() for code in languages.split(",") if code.strip()]
        try:
            account_create(username=username, password=password, role=role, languages=langs, email=email)
        except WorkbenchError as error:
            raise CommandError(error.message) from error
        self.stdout.write(f"Created {role} '{username}' ({', '.join(langs) or 'all languages'}).")
        self.stdout.write(f"Password (shown once): {password}")
