"""gunicorn settings for `make serve` (scripts/serve.sh passes bind and workers)."""

import os

worker_class = "sync"
# Load Django once in the master; workers share its memory until they write to it.
preload_app = True
# A request that takes longer than this is a stuck worker: it is killed and replaced.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then so slow leaks never add up. Not too often: a flood of cheap
# refused requests reached 5,000 in ten seconds, and each fresh worker pays for its first
# catalogue read (about 0.9 s at 10,000 reviews).
max_requests = 50000
max_requests_jitter = 5000


# Only the proxy in front talks to us; it says whether the visitor used HTTPS.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
# The proxy logs every request; turn gunicorn's own access log on with GUNICORN_ACCESS_LOG=1.
accesslog = "-" if os.environ.get("GUNICORN_ACCESS_LOG") == "1" else None
access_log_format = '%(h)s "%(r)s" %(s)s %(B)s %(D)sus'
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "portal.logging.JsonFormatter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json",
            "stream": "ext://sys.stdout",
        }
    },
    "loggers": {
        "gunicorn.error": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "gunicorn.access": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}


def when_ready(server) -> None:
    """In the master, after the app is loaded and before any worker is forked."""
    from portal.warmup import warm_up

    warm_up()
