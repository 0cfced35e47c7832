from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from reviews.management.commands import create_local_admin

pytestmark = pytest.mark.django_db


def test_local_accounts_are_created_once_with_their_roles_and_the_sign_in_is_printed(
    settings, tmp_path, monkeypatch
):
    settings.DEBUG = True
    monkeypatch.setattr(create_local_admin, "PASSWORD_FILE", tmp_path / "password")
    out = StringIO()

    call_command("create_local_admin", "--address", "http://127.0.0.1:9000", stdout=out)
    call_command("create_local_admin", stdout=StringIO())

    password = (tmp_path / "password").read_text().strip()
    assert f"http://127.0.0.1:9000/admin/ with the password {password}" in out.getvalue()
    users = {user.username: user for user in get_user_model().objects.all()}
    assert users["admin"].is_superuser and users["admin"].check_password(password)
    assert [g.name for g in users["editor"].groups.all()] == ["Editor"]
    assert [g.name for g in users["publisher"].groups.all()] == ["Publisher"]
    assert not users["publisher"].is_superuser


def test_local_accounts_are_refused_when_debug_is_off(settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="local development only"):
        call_command("create_local_admin", stdout=StringIO())
