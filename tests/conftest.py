import os
import uuid

import pytest
from django.db import connection


def pytest_configure(config):
    """Compile the Welsh catalogue when it is missing or older than its .po (make install does
    it too; this keeps a bare `pytest` honest). Once, in the controller, not in each worker."""
    if hasattr(config, "workerinput"):
        return
    from tests.portal.catalogue import compile_catalogue

    compile_catalogue()


def pytest_collection_modifyitems(config, items):
    """Skip PostgreSQL-only tests on SQLite, saying so, rather than failing or hiding them."""
    from django.conf import settings

    if settings.DATABASES["default"]["ENGINE"].endswith("postgresql"):
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL (set DATABASE_URL to run it)")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """On PostgreSQL, let Django empty the test database between transactional tests: the
    audit log refuses TRUNCATE unless its database says otherwise (reviews/0010)."""
    from django.db import connections

    connection = connections["default"]
    if connection.vendor == "postgresql":
        with django_db_blocker.unblock(), connection.cursor() as cursor:
            name = connection.ops.quote_name(connection.settings_dict["NAME"])
            cursor.execute(f"ALTER DATABASE {name} SET reviews.allow_truncate = 'on'")


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server (aiosmtpd) on 127.0.0.1 for this test, with the default mailer
    pointed at it; it collects what arrives, parsed (tests/smtp.py says how to read it)."""
    from tests.smtp import smtp_server_running

    yield from smtp_server_running(settings)


@pytest.fixture
def on_postgres() -> bool:
    return connection.vendor == "postgresql"


@pytest.fixture
def redis_key_prefix() -> str:
    """A Redis key prefix for one test: no other test, pytest-xdist worker (gw0, gw1...) or
    run on the same Redis (CI and a developer, two worktrees) reads or deletes its keys."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    return f"portal-test-{worker}-{uuid.uuid4().hex[:12]}"


# People and content many tests start from. tests/factories.py builds anything else:
# EditorFactory, PublisherFactory, SuperuserFactory, BoardFactory, AgencyFactory, ThemeFactory,
# ReviewFactory, LearningPointFactory, DiscussionPromptFactory and build_review.


@pytest.fixture
def editor():
    """Edith, in the Editor group: writes drafts and submits them for sign-off."""
    from tests.factories import EditorFactory

    return EditorFactory(username="edith")


@pytest.fixture
def publisher():
    """Percy, in the Publisher group: signs off what someone else wrote."""
    from tests.factories import PublisherFactory

    return PublisherFactory(username="percy")


@pytest.fixture
def second_publisher():
    """Paula, another publisher, for what Percy may not sign off himself."""
    from tests.factories import PublisherFactory

    return PublisherFactory(username="paula")


@pytest.fixture
def superuser():
    from tests.factories import SuperuserFactory

    return SuperuserFactory(username="boss")


def _signed_in(user):
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def editor_client(editor):
    """A browser session of its own, signed in as the editor (`client` stays anonymous)."""
    return _signed_in(editor)


@pytest.fixture
def publisher_client(publisher):
    return _signed_in(publisher)


@pytest.fixture
def superuser_client(superuser):
    return _signed_in(superuser)


@pytest.fixture
def draft_review(editor):
    """A draft the editor saved once (revision 1), with chronology, learning and prompts."""
    from tests.reviews.workflow_helpers import draft

    return draft(by=editor)


@pytest.fixture
def published_review(editor, publisher):
    """A review the editor wrote and the publisher signed off: the working copy (its public
    copy is `live_copy(review)` from tests/reviews/workflow_helpers.py)."""
    from tests.reviews.workflow_helpers import published

    return published(by=editor, publisher=publisher)


@pytest.fixture(scope="session", autouse=True)
def _serialized_test_database(django_db_setup, django_db_blocker):
    """Keep the migrated data (themes, review types, groups) for tests that flush the database.

    Django keeps the serialised fresh database on the connection object it created. Code
    running under an event loop (Playwright's sync API) gets another connection object from
    Django's context-local handler, which lacks it, so a transactional test there flushed the
    data away for every test after it. `attach_serialized_contents` hands it over.
    """
    from django.db import connections

    connection = connections["default"]
    if not hasattr(connection, "_test_serialized_contents"):
        with django_db_blocker.unblock():
            connection._test_serialized_contents = connection.creation.serialize_db_to_string()
    return connection._test_serialized_contents


def attach_serialized_contents(contents: str) -> None:
    from django.db import connections

    connections["default"]._test_serialized_contents = contents


@pytest.fixture(autouse=True)
def _fresh_portal_settings():
    """Each test reads the portal's texts from its own database, not from a memory of the
    last test's (portal.site.portal_settings_get keeps them between requests)."""
    from learning.discovery.catalogue import catalogue_forget
    from portal.site import portal_settings_forget

    portal_settings_forget()
    catalogue_forget()
    yield
    portal_settings_forget()
    catalogue_forget()


@pytest.fixture(autouse=True)
def _own_pdf_store(settings, tmp_path):
    """Every test starts with no stored PDFs (learning.pdf keeps them in files)."""
    settings.PDF_STORE_DIR = str(tmp_path / "pdfs")
