"""Baby C, the board's real review, for sheet tests and the sheet benchmark.

Loaded from fixtures/reviews/baby-c.md through the document importer, as `make run` loads it.
"""

from pathlib import Path

import yaml
from django.conf import settings

from portal.models import PortalSettings
from reviews.documents.importing import review_documents_import
from reviews.models import Review, ReviewType

FIXTURES = Path(settings.BASE_DIR) / "fixtures"
BABY_C = FIXTURES / "reviews" / "baby-c.md"


def load_site_texts() -> None:
    """The board's texts (fixtures/site.yaml), as `manage.py load_demo` sets them."""
    texts = yaml.safe_load((FIXTURES / "site.yaml").read_text(encoding="utf-8"))
    portal = PortalSettings.load()
    for name in ("board_name", "logo_text", "introduction", "team_meetings_text"):
        setattr(portal, name, texts[name])
    portal.save()
    for slug, fields in texts.get("review_types", {}).items():
        review_type = ReviewType.objects.get(slug=slug)
        for name, value in fields.items():
            setattr(review_type, name, value)
        review_type.save()


def load_baby_c() -> Review:
    """Baby C as the public sees it (the published, live review), with the board's texts."""
    load_site_texts()
    review_documents_import(sources=[(BABY_C.name, BABY_C.read_bytes())], keep_status=True)
    return Review.objects.published().get(slug="baby-c")
