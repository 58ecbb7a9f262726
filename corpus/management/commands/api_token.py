from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from corpus.errors import WorkbenchError
from corpus.models import ApiToken
from corpus.tokens import token_create, token_revoke


class Command(BaseCommand):
    help = "Create, list or revoke a user's API tokens. A new key is printed once; only its hash is kept."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="verb", required=True)
        create = sub.add_parser("create")
        create.add_argument("username")
        create.add_argument("--name", required=True)
        listing = sub.add_parser("list")
        listing.add_argument("username")
        revoke = sub.add_parser("revoke")
        revoke.add_argument("username")
        revoke.add_argument("token_id", type=int)

    def handle(self, *args, verb, username, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user named '{username}'.")
        try:
            if verb == "create":
                token, key = token_create(user=user, name=options["name"])
                self.stdout.write(f"Token {token.pk} '{token.name}' for {username} (shown once):")
                self.stdout.write(key)
            elif verb == "revoke":
                token = token_revoke(user=user, token_id=options["token_id"])
                self.stdout.write(f"Revoked token {token.pk} '{token.name}'.")
            else:
                for token in ApiToken.objects.filter(user=user):
                    state = f"revoked {token.revoked_at:%Y-%m-%d}" if token.revoked_at else "active"
                    self.stdout.write(f"{token.pk}\t{token.name}\t{token.prefix}…\t{state}")
        except WorkbenchError as error:
            raise CommandError(error.message) from error
