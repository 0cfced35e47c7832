"""Loads the demo content: the board's texts (fixtures/site.yaml), its glossary
(fixtures/glossary.yaml), fixtures/reviews/*.md with the Welsh names of review types, boards
and agencies (site.yaml's `welsh_names`) and the demo Welsh translation of Baby C
(fixtures/reviews/baby-c-cy.md, imported after Baby C), and Baby C's action plan
(reviews/actions/demo.py).

Idempotent: texts are set to the fixture's words each time; a review whose slug is already
in the database is left as it is, so running it twice changes nothing.
"""

from pathlib import Path

import yaml
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from portal.models import PortalSettings
from reviews.actions.demo import demo_action_plan_load
from reviews.documents.format import DocumentError
from reviews.documents.importing import review_documents_import
from reviews.glossary.services import glossary_terms_load
from reviews.models import Agency, Board, Review, ReviewType
from reviews.publishing.renames import (
    agency_save,
    board_save,
    portal_settings_save,
    review_type_save,
)

FIXTURES = Path(settings.BASE_DIR) / "fixtures"


class Command(BaseCommand):
    help = "Load the demo board texts and review documents (safe to run again)."

    def handle(self, *args, **options) -> None:
        with transaction.atomic():
            self.load_site_texts(FIXTURES / "site.yaml")
            self.load_glossary(FIXTURES / "glossary.yaml")
            self.load_reviews(sorted((FIXTURES / "reviews").glob("*.md")))
            self.load_welsh_names(FIXTURES / "site.yaml")
            self.load_action_plans()

    def load_site_texts(self, path: Path) -> None:
        texts = yaml.safe_load(path.read_text(encoding="utf-8"))
        portal = PortalSettings.load()
        for field in ("board_name", "logo_text", "introduction", "team_meetings_text"):
            setattr(portal, field, texts[field])
        for field, value in texts.get("welsh", {}).items():
            setattr(portal, f"{field}_cy", value)
        # Through the services, so pages already published show the new texts.
        portal_settings_save(portal=portal)
        for slug, fields in texts.get("review_types", {}).items():
            review_type = ReviewType.objects.filter(slug=slug).first()
            if review_type is None:
                raise CommandError(f"{path.name}: unknown review type {slug!r}")
            for field, value in fields.items():
                setattr(review_type, field, value)
            review_type_save(review_type=review_type)
        self.stdout.write(f"Board texts loaded from {path.name}.")

    def load_glossary(self, path: Path) -> None:
        entries = yaml.safe_load(path.read_text(encoding="utf-8"))
        added = glossary_terms_load(
            entries=[(entry["term"], entry["meaning"]) for entry in entries]
        )
        self.stdout.write(f"Glossary: {added} terms added from {path.name}.")

    def load_welsh_names(self, path: Path) -> None:
        names = yaml.safe_load(path.read_text(encoding="utf-8")).get("welsh_names", {})
        for slug, fields in names.get("review_types", {}).items():
            review_type = ReviewType.objects.get(slug=slug)
            if any(getattr(review_type, field) != value for field, value in fields.items()):
                for field, value in fields.items():
                    setattr(review_type, field, value)
                review_type_save(review_type=review_type)
        # Through the services, so that published pages show the Welsh names at once.
        for model, save, key in ((Board, board_save, "boards"), (Agency, agency_save, "agencies")):
            for name, welsh in names.get(key, {}).items():
                obj = model.objects.filter(name=name).first()
                if obj is not None and obj.name_cy != welsh:
                    obj.name_cy = welsh
                    save(**{model._meta.model_name: obj})
        self.stdout.write("Welsh names loaded.")

    def load_reviews(self, paths: list[Path]) -> None:
        existing = set(Review.objects.values_list("slug", flat=True))
        sources = [(path.name, path.read_bytes()) for path in paths if path.stem not in existing]
        if not sources:
            self.stdout.write("Demo reviews already loaded.")
            return
        try:
            # The demo is a back catalogue: its published reviews go live as they are.
            report = review_documents_import(
                sources=sources, keep_status=True, run_by="load_demo (the demo content)"
            )
        except DocumentError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Demo reviews loaded: {report}")

    def load_action_plans(self) -> None:
        baby_c = Review.objects.working_copies().filter(slug="baby-c").first()
        if baby_c is None:
            return
        added = demo_action_plan_load(review=baby_c)
        self.stdout.write(
            f"Baby C's action plan loaded: {added} actions."
            if added
            else "Baby C's action plan already loaded."
        )
