"""Creates (once) local accounts for trying the portal and prints how to sign in.

`admin` is a superuser; `editor` and `publisher` are in the Editor and Publisher groups, so
the sign-off workflow (a second person publishes) can be tried on one machine.
"""

import secrets
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError

PASSWORD_FILE = Path(settings.BASE_DIR) / ".local-admin-password"
ACCOUNTS = [("admin", None), ("editor", "Editor"), ("publisher", "Publisher")]


class Command(BaseCommand):
    help = "Create local accounts admin, editor and publisher and print how to sign in."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--address", default="http://127.0.0.1:8000")

    def handle(self, *args, address: str, **options) -> None:
        if not settings.DEBUG:
            raise CommandError("This is for local development only (DEBUG is off).")
        User = get_user_model()
        existing = User.objects.filter(username__in=[name for name, _ in ACCOUNTS]).count()
        if PASSWORD_FILE.exists() and existing == len(ACCOUNTS):
            password = PASSWORD_FILE.read_text().strip()
        else:
            password = secrets.token_urlsafe(12)
            for username, group in ACCOUNTS:
                user, _ = User.objects.get_or_create(
                    username=username, defaults={"email": f"{username}@localhost"}
                )
                user.is_staff = True
                user.is_superuser = group is None
                user.set_password(password)
                user.save()
                if group:
                    user.groups.add(Group.objects.get(name=group))
            PASSWORD_FILE.write_text(password + "\n")
            PASSWORD_FILE.chmod(0o600)
        self.stdout.write(
            f"\nSign in to the admin at {address}/admin/ with the password {password}\n"
            "  as admin (superuser), editor (writes and submits reviews) or publisher\n"
            "  (signs off and publishes; not a version they edited last).\n"
            f"(local accounts; the password is kept in {PASSWORD_FILE.name}, which git ignores)\n"
        )
