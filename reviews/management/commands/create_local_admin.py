"""Creates (once) a superuser for trying the portal locally and prints how to sign in."""

import secrets
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

PASSWORD_FILE = Path(settings.BASE_DIR) / ".local-admin-password"


class Command(BaseCommand):
    help = "Create a local superuser 'admin' with a random password and print how to sign in."

    def handle(self, *args, **options) -> None:
        if not settings.DEBUG:
            raise CommandError("This is for local development only (DEBUG is off).")
        User = get_user_model()
        if PASSWORD_FILE.exists() and User.objects.filter(username="admin").exists():
            password = PASSWORD_FILE.read_text().strip()
        else:
            password = secrets.token_urlsafe(12)
            user, _ = User.objects.get_or_create(
                username="admin", defaults={"email": "admin@localhost"}
            )
            user.is_staff = user.is_superuser = True
            user.set_password(password)
            user.save()
            PASSWORD_FILE.write_text(password + "\n")
            PASSWORD_FILE.chmod(0o600)
        self.stdout.write(
            "\nSign in to the admin at http://127.0.0.1:8000/admin/\n"
            f"  username: admin\n  password: {password}\n"
            f"(a local account; the password is kept in {PASSWORD_FILE.name}, which git ignores)\n"
        )
