"""Work each gunicorn worker would otherwise do on its first request, done once in the master.

Workers are recycled every few thousand requests (scripts/gunicorn.conf.py). A fresh worker
used to compile every template, build the URL resolver and read the static files manifest
while its first visitors waited (about 80 ms); done in the master before it forks, the
workers inherit all of it. Nothing here may open a database connection: a connection must
never be shared across a fork.
"""

from django.conf import settings
from django.contrib.staticfiles.storage import staticfiles_storage
from django.template import engines
from django.urls import URLResolver, get_resolver
from django.utils.module_loading import import_string


def warm_up() -> int:
    """Compile the project's templates, resolve the URLs and read the static manifest.

    Returns how many templates were compiled."""
    _build_reverse_tables(get_resolver())
    staticfiles_storage.url("css/site.css")
    engine = engines["django"]
    count = 0
    for directory in settings.TEMPLATES[0]["DIRS"]:
        for path in sorted(directory.rglob("*.html")):
            engine.get_template(str(path.relative_to(directory)))
            count += 1
    # The apps' own warm-ups, named in settings so this base layer imports none of them.
    for name in getattr(settings, "WARM_UP", []):
        import_string(name)()
    return count


def _build_reverse_tables(resolver: URLResolver) -> None:
    # Each namespace (reviews:, learning:...) has its own resolver, built on first use.
    resolver.reverse_dict  # noqa: B018 - reading it builds it
    for _prefix, namespace in resolver.namespace_dict.values():
        _build_reverse_tables(namespace)
