"""Settings shared by every environment.

Each environment module (development, test, production) imports this and changes only
what must differ. Everything a deployment chooses comes from the environment.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


SECRET_KEY = os.environ.get("SECRET_KEY", "")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    # Full-text search fields and indexes; imports and does nothing harmful on SQLite.
    "django.contrib.postgres",
    "django.contrib.sitemaps",
    "markdownx",
    # The base layer: the shared rate limiters' counters (portal.models).
    "portal",
    "reviews",
    "learning",
]

MIDDLEWARE = [
    # First, so a stored page costs no other middleware; it is stored with every header the
    # others added (CSP, HSTS...). Plain-HTTP requests have their own key and are redirected.
    "portal.middleware.PublicPageCacheMiddleware",
    "portal.middleware.SecurityHeadersMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Outside everything that may answer early (the request budget's 429), so every answer
    # carries the policy and the frame refusal.
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # The language comes from the address alone (/cy/... Welsh, anything else English), so it
    # is set before anything that may answer (the 429 page is in the visitor's language) and
    # needs neither the session nor a cookie; CommonMiddleware's redirects resolve under it.
    "portal.middleware.PathLocaleMiddleware",
    # After the page cache (hits are free), before sessions: a refused request costs one
    # counter and a small page, nothing more.
    "portal.middleware.PublicRequestRateLimitMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "portal.middleware.AdminLoginRateLimitMiddleware",
    # Turns a RateLimited raised by any view into a 429 page.
    "portal.middleware.RateLimitedMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",
                "portal.site.portal_settings",
            ],
        },
    },
]

# SQLite in the project folder unless DATABASE_URL names another database.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "0")),
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"


def cache_from_url(url: str) -> dict:
    """CACHE_URL: unset for this process's memory, redis://host:port/db for Redis."""
    if not url or url.startswith("locmem://"):
        # Bounded: each worker keeps at most this many pages, PDFs and counters, and
        # drops a third of them, oldest first, when full.
        return {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "portal",
            "OPTIONS": {"MAX_ENTRIES": int(os.environ.get("CACHE_MAX_ENTRIES", "2000"))},
        }
    if url.startswith(("redis://", "rediss://", "unix://")):
        return {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "portal"),
        }
    if url.startswith("dummy://"):
        return {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
    raise ImproperlyConfigured(f"CACHE_URL must start with redis:// or locmem://, not {url!r}")


CACHES = {"default": cache_from_url(os.environ.get("CACHE_URL", ""))}
# Whole anonymous public pages, kept this long at most (0 turns the page cache off) and
# dropped at once by portal.cache.public_cache_invalidate().
PUBLIC_CACHE_SECONDS = int(os.environ.get("PUBLIC_CACHE_SECONDS", "3600"))
# What tells the page cache when published content next changes by itself (scheduled go-live,
# end dates): the reviews app, named here so that portal/cache.py imports no app.
PUBLIC_CACHE_NEXT_CHANGE = "reviews.selectors.review_next_visibility_change"
# A page larger than this is served but never stored (none of ours comes close).
PUBLIC_CACHE_MAX_PAGE_BYTES = int(os.environ.get("PUBLIC_CACHE_MAX_PAGE_BYTES", str(1024 * 1024)))
# Never cached, and not counted by the public request budget. /use/: the return form is
# personal and rate-limited on its own. /unsubscribe/: mail providers
# send RFC 8058 one-click unsubscribes for many readers from a few addresses, and a refused
# one may not be retried; each costs a signature check and at most two queries.
PUBLIC_CACHE_EXCLUDED_PATHS = ["/admin/", "/healthz", "/static/", "/unsubscribe/", "/use/"]
PUBLIC_CACHE_GENERATION_FILE = os.environ.get("PUBLIC_CACHE_GENERATION_FILE") or None

# The last guard on a search: a statement that runs longer is stopped and the visitor asked
# for a narrower search (learning/discovery/search_limits.py).
SEARCH_STATEMENT_TIMEOUT_MS = int(os.environ.get("SEARCH_STATEMENT_TIMEOUT_MS", "1000"))

# Printable sheets as PDFs (learning/pdf.py): stored once per content version in this
# folder, shared by every worker on the machine; each client address may cause at most
# PDF_RENDERS_PER_ADDRESS new renders per PDF_RENDER_WINDOW seconds (stored PDFs are free);
# a request waits at most PDF_WAIT_SECONDS for another's render of the same PDF.
PDF_STORE_DIR = os.environ.get("PDF_STORE_DIR") or str(BASE_DIR / "media" / "pdfs")
PDF_RENDERS_PER_ADDRESS = int(os.environ.get("PDF_RENDERS_PER_ADDRESS", "10"))
PDF_RENDER_WINDOW = int(os.environ.get("PDF_RENDER_WINDOW", "600"))
PDF_WAIT_SECONDS = int(os.environ.get("PDF_WAIT_SECONDS", "10"))
# At most this many PDF renders at once on the machine (one core each); more get a 503 that
# asks them to try again in a few seconds.
PDF_RENDER_SLOTS = int(os.environ.get("PDF_RENDER_SLOTS", "1"))
# Discussion returns (learning/returns/, docs/discussion-returns.md): returns one address may
# send per window, new session-pack use codes one address may make per window, and when the
# one follow-up goes (days after the return) and how long its link works.
RETURNS_PER_ADDRESS = int(os.environ.get("RETURNS_PER_ADDRESS", "10"))
RETURN_WINDOW = int(os.environ.get("RETURN_WINDOW", "3600"))
PACK_CODES_PER_ADDRESS = int(os.environ.get("PACK_CODES_PER_ADDRESS", "30"))
PACK_CODE_WINDOW = int(os.environ.get("PACK_CODE_WINDOW", "3600"))
RETURN_FOLLOW_UP_DAYS = 90
RETURN_FOLLOW_UP_LINK_DAYS = 60
RETURN_ADDRESS_KEEP_DAYS = 365

# Done once in the gunicorn master before it forks (portal/warmup.py).
WARM_UP = ["learning.pdf.warm_up"]

# Evidence files for action plans (reviews/actions/attachments.py): kept outside MEDIA_ROOT
# and STATIC_ROOT, with no URL, and served only to staff through the admin as downloads.
PRIVATE_MEDIA_ROOT = os.environ.get("PRIVATE_MEDIA_ROOT") or str(BASE_DIR / "private")
ACTION_ATTACHMENT_MAX_BYTES = int(
    os.environ.get("ACTION_ATTACHMENT_MAX_BYTES", str(10 * 1024 * 1024))
)

# Uncached requests one address may make per window (0: no limit); docs/security.md.
PUBLIC_REQUESTS_PER_ADDRESS = int(os.environ.get("PUBLIC_REQUESTS_PER_ADDRESS", "10"))
PUBLIC_REQUEST_WINDOW = int(os.environ.get("PUBLIC_REQUEST_WINDOW", "2"))

# Admin sign-in: failures allowed per client address and per username in the window.
LOGIN_FAILURES_PER_ADDRESS = int(os.environ.get("LOGIN_FAILURES_PER_ADDRESS", "20"))
LOGIN_FAILURES_PER_USERNAME = int(os.environ.get("LOGIN_FAILURES_PER_USERNAME", "5"))
LOGIN_FAILURE_WINDOW = int(os.environ.get("LOGIN_FAILURE_WINDOW", "900"))
# Behind N reverse proxies that append to X-Forwarded-For, set TRUSTED_PROXY_COUNT=N so the
# limiters count each visitor, not the proxy (docs/deploy.md). 0: REMOTE_ADDR, the default.
# CLIENT_IP_FROM_X_FORWARDED_FOR=true, the older spelling, means one proxy.
TRUSTED_PROXY_COUNT = int(
    os.environ.get("TRUSTED_PROXY_COUNT")
    or ("1" if env_bool("CLIENT_IP_FROM_X_FORWARDED_FOR", False) else "0")
)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# English at today's addresses, Welsh under /cy/ (portal/urls.py, docs/welsh.md).
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("cy", "Cymraeg")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# British English dates and numbers for "en" (portal/formats/en/formats.py).
FORMAT_MODULE_PATH = ["portal.formats"]
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# One sanitising function turns Markdown into HTML, for pages and the admin preview alike.
MARKDOWNX_MARKDOWNIFY_FUNCTION = "portal.markdown.render_markdown"
MARKDOWNX_URLS_PATH = "/admin/markdownx/markdownify/"
MARKDOWNX_UPLOAD_URLS_PATH = "/admin/markdownx/upload-disabled/"

# Django 6's Content Security Policy: no inline script or style, nothing from elsewhere.
from django.utils.csp import CSP  # noqa: E402

SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"

# Console by default; a deployment sets EMAIL_HOST (and friends) to send real mail.
if os.environ.get("EMAIL_HOST"):
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": os.environ["EMAIL_HOST"],
                "port": int(os.environ.get("EMAIL_PORT", "587")),
                "username": os.environ.get("EMAIL_HOST_USER", ""),
                "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
                "use_tls": env_bool("EMAIL_USE_TLS", True),
            },
        }
    }
else:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
# Where staff reach the portal, for links in notification emails (no request to ask).
PORTAL_BASE_URL = os.environ.get("PORTAL_BASE_URL", "http://127.0.0.1:8000")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "portal@localhost")

# E-mail subscriptions (learning/subscriptions/, docs/subscriptions.md). Links in their
# messages start with PORTAL_BASE_URL, which must then be the public https address. One
# visitor's address may ask at /subscribe/ this many times per window (then 429); one
# e-mail address is sent at most this many confirmation or reminder messages per window
# (then nothing more is sent, and the page says the same as ever).
SUBSCRIBE_REQUESTS_PER_ADDRESS = int(os.environ.get("SUBSCRIBE_REQUESTS_PER_ADDRESS", "10"))
SUBSCRIBE_REQUEST_WINDOW = int(os.environ.get("SUBSCRIBE_REQUEST_WINDOW", "3600"))
SUBSCRIBE_MESSAGES_PER_EMAIL = int(os.environ.get("SUBSCRIBE_MESSAGES_PER_EMAIL", "3"))
SUBSCRIBE_EMAIL_WINDOW = int(os.environ.get("SUBSCRIBE_EMAIL_WINDOW", "86400"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}
