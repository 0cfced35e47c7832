import pytest
from django.db import connection


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
def on_postgres() -> bool:
    return connection.vendor == "postgresql"


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
