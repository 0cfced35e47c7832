"""Importing review documents into the database (reviews/documents/importing.py, import_reviews)."""

from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth.models import Permission
from django.core.management import CommandError, call_command

from reviews.documents.format import DocumentError
from reviews.documents.importing import review_documents_import
from reviews.models import (
    Agency,
    AnalysisFinding,
    AuditEntry,
    Board,
    ChronologyEvent,
    DiscussionPrompt,
    LearningPoint,
    Recommendation,
    Review,
    ReviewRevision,
    Theme,
)
from tests.factories import AgencyFactory, BoardFactory, UserFactory, build_review

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "reviews"

DOCUMENT = """\
---
format: review-document/1
title: Baby Q
review_type: rapid-review
board: Example Safeguarding Partnership
nation: wales
status: {status}
published_on: 2023-03-01
child:
  pseudonym: Baby Q
  age_at_incident: 3 months
  age_months: 3
  outcome: serious-harm
agencies: [GP]
keywords: [bruising, fathers]
chronology:
  - when: At birth
    agencies: [Midwifery]
    event: Baby Q was born at home.
  - when: At 3 months
    age_months: 3
    date: 2022-11
    event: Bruising was seen by the **GP**.
    key: true
recommendations:
  - text: Ask about the men in the household.
    agencies: [Health visiting, GP]
learning:
  - title: Bruising in babies who cannot move
    themes: [injuries-in-non-mobile-babies, fathers-and-male-carers]
    agencies: [GP]
    prompts:
      - What does your team do when it sees a bruise on a baby?
      - Who else lives in the house?
---

## Case summary

Baby Q was seriously injured at 3 months.

## Analysis

### Bruising

The bruise was not seen as a warning.

## Key learning

### Bruising in babies who cannot move

A bruise on a baby who cannot move is a warning sign.
"""


def document(status: str = "draft", **replacements: str) -> bytes:
    text = DOCUMENT.format(status=status)
    for old, new in replacements.items():
        assert old in text, old
        text = text.replace(old, new)
    return text.encode()


def database_state() -> dict:
    """Everything an import could touch, to show a refused import changed nothing."""
    return {
        "reviews": sorted(Review.objects.values_list("pk", "slug", "title", "status", "version")),
        "rows": [
            model.objects.count()
            for model in (ChronologyEvent, AnalysisFinding, Recommendation, LearningPoint)
        ],
        "prompts": sorted(DiscussionPrompt.objects.values_list("question", "facilitator_note")),
        "boards": sorted(Board.objects.values_list("name", flat=True)),
        "agencies": sorted(Agency.objects.values_list("name", flat=True)),
        "revisions": ReviewRevision.objects.count(),
        "audit": AuditEntry.objects.count(),
    }


def refused(sources, **options) -> list[str]:
    before = database_state()
    with pytest.raises(DocumentError) as caught:
        review_documents_import(sources=sources, **options)
    assert database_state() == before, "a refused import must leave the data as it was"
    return [str(problem) for problem in caught.value.problems]


@pytest.fixture
def publisher():
    return UserFactory(username="publisher", is_staff=True, is_superuser=True)


def editor(*permissions: str):
    user = UserFactory(username="editor", is_staff=True)
    for codename in permissions:
        user.user_permissions.add(Permission.objects.get(codename=codename))
    return type(user).objects.get(pk=user.pk)  # a fresh object: permissions are cached


# Importing ---------------------------------------------------------------------------------


def test_a_draft_document_becomes_a_working_copy_with_every_child_row_and_a_revision():
    report = review_documents_import(sources=[("baby-q.md", document())])

    review = Review.objects.working_copies().get(slug="baby-q")
    assert str(report) == (
        "1 review created (baby-q); new board: Example Safeguarding Partnership; "
        "new agencies: GP, Midwifery, Health visiting"
    )
    assert (review.title, review.status, review.nation) == ("Baby Q", "draft", "wales")
    assert review.review_type.slug == "rapid-review"
    assert (review.child_age_text, review.child_age_months, review.child_outcome) == (
        "3 months",
        3,
        "serious-harm",
    )
    assert review.keywords == "bruising, fathers"
    assert review.summary_html == "<p>Baby Q was seriously injured at 3 months.</p>"
    events = list(review.chronology_events.order_by("position"))
    assert [(e.position, e.when, e.date, e.is_key) for e in events] == [
        (1, "At birth", "", False),
        (2, "At 3 months", "2022-11", True),
    ]
    assert "<strong>GP</strong>" in events[1].text_html
    assert [a.name for a in events[0].agencies.all()] == ["Midwifery"]
    assert [(f.heading, f.text) for f in review.findings.all()] == [
        ("Bruising", "The bruise was not seen as a warning.")
    ]
    (point,) = review.learning_points.all()
    assert sorted(point.themes.values_list("slug", flat=True)) == [
        "fathers-and-male-carers",
        "injuries-in-non-mobile-babies",
    ]
    assert list(point.prompts.values_list("position", "question")) == [
        (1, "What does your team do when it sees a bruise on a baby?"),
        (2, "Who else lives in the house?"),
    ]
    assert review.revisions.get().change_note == "Imported from baby-q.md"
    assert not Review.objects.published().filter(slug="baby-q").exists()


def test_every_agency_named_anywhere_in_the_document_is_one_of_the_reviews_agencies():
    review_documents_import(sources=[("baby-q.md", document())])

    review = Review.objects.working_copies().get(slug="baby-q")
    assert sorted(review.agencies.values_list("name", flat=True)) == [
        "GP",
        "Health visiting",
        "Midwifery",
    ]


def test_a_published_document_is_public_at_once_without_sign_off():
    review_documents_import(sources=[("baby-q.md", document("published"))], keep_status=True)

    live = Review.objects.published().get(slug="baby-q")
    assert live.published_on.isoformat() == "2023-03-01"
    assert live.learning_points.count() == 1
    assert Review.objects.working_copies().get(slug="baby-q").status == "published"
    assert AuditEntry.objects.filter(action=AuditEntry.Action.IMPORTED_LIVE).count() == 1


def test_a_withdrawn_document_is_kept_as_a_withdrawn_working_copy_and_is_not_public():
    review_documents_import(sources=[("baby-q.md", document("withdrawn"))], keep_status=True)

    assert Review.objects.working_copies().get(slug="baby-q").status == "withdrawn"
    assert not Review.objects.published().filter(slug="baby-q").exists()


def test_the_demo_documents_import_together():
    sources = [(path.name, path.read_bytes()) for path in sorted(FIXTURES.glob("*.md"))]

    report = review_documents_import(sources=sources, keep_status=True)

    # Translations (baby-c-cy.md, the demo's Welsh Baby C) come after the originals and are
    # not reviews of their own to the public.
    stems = [path.stem for path in sorted(FIXTURES.glob("*.md"))]
    translations = [stem for stem in stems if stem.endswith("-cy")]
    originals = [stem for stem in stems if stem not in translations]
    assert translations
    assert [review.slug for review in report.created] == originals + translations
    assert Review.objects.published().count() == len(originals)
    assert Review.objects.published(translations=True).count() == len(translations)


def test_boards_and_agencies_are_found_by_name_ignoring_case_and_created_once():
    BoardFactory(name="Example Safeguarding Partnership")
    AgencyFactory(name="gp")
    second = document(**{"title: Baby Q": "title: Baby R", "pseudonym: Baby Q": "pseudonym: R"})

    report = review_documents_import(sources=[("q.md", document()), ("r.md", second)])

    assert report.boards_created == []
    assert report.agencies_created == ["Midwifery", "Health visiting"]
    assert Board.objects.count() == 1
    assert sorted(Agency.objects.values_list("name", flat=True)) == [
        "Health visiting",
        "Midwifery",
        "gp",
    ]


def test_a_new_agency_whose_slug_is_taken_gets_a_free_one():
    AgencyFactory(name="Children's social care")

    review_documents_import(
        sources=[("q.md", document(**{"agencies: [GP]": "agencies: [Childrens social care]"}))]
    )

    assert Agency.objects.get(name="Childrens social care").slug == "childrens-social-care-2"


def test_a_theme_board_staff_added_in_the_admin_can_be_used():
    Theme.objects.create(slug="online-harm", name="Online harm")

    review_documents_import(
        sources=[("q.md", document(**{"fathers-and-male-carers": "online-harm"}))]
    )

    point = LearningPoint.objects.get(review__slug="baby-q", review__is_live=False)
    assert "online-harm" in point.themes.values_list("slug", flat=True)


def test_a_dry_run_says_what_would_be_created_and_writes_nothing():
    before = database_state()

    report = review_documents_import(sources=[("baby-q.md", document())], dry_run=True)

    assert str(report).startswith("1 review would be created (baby-q); new board:")
    assert database_state() == before


def test_update_replaces_the_review_and_its_child_rows_as_a_new_revision():
    review_documents_import(sources=[("baby-q.md", document())])
    review = Review.objects.working_copies().get(slug="baby-q")
    first_event = (
        "  - when: At birth\n    agencies: [Midwifery]\n    event: Baby Q was born at home.\n"
    )
    changed = document(
        **{"title: Baby Q": "title: Baby Q (revised)\nslug: baby-q", first_event: ""}
    )

    report = review_documents_import(sources=[("baby-q.md", changed)], update=True)

    review.refresh_from_db()
    assert review.title == "Baby Q (revised)"
    assert list(review.chronology_events.values_list("position", "when")) == [(1, "At 3 months")]
    assert review.revisions.count() == 2
    assert str(report) == "1 review updated (baby-q)"
    labels = {change.label for change in report.updated[0].changes}
    assert "Title" in labels
    assert ChronologyEvent.objects.count() == 1


def test_update_keeps_facilitator_notes_and_the_fields_the_format_does_not_carry():
    review_documents_import(sources=[("baby-q.md", document())])
    review = Review.objects.working_copies().get(slug="baby-q")
    Review.objects.filter(pk=review.pk).update(improvements_only=True)
    DiscussionPrompt.objects.filter(question="Who else lives in the house?").update(
        facilitator_note="Think of lodgers and visitors."
    )

    review_documents_import(
        sources=[("baby-q.md", document(**{"3 months.": "3 months, at home."}))], update=True
    )

    review.refresh_from_db()
    assert review.improvements_only is True
    assert DiscussionPrompt.objects.get(
        question="Who else lives in the house?"
    ).facilitator_note == ("Think of lodgers and visitors.")


def test_a_dry_run_update_lists_the_changes_and_keeps_the_review_as_it_was():
    review_documents_import(sources=[("baby-q.md", document())])
    before = database_state()

    report = review_documents_import(
        sources=[("baby-q.md", document(**{"nation: wales": "nation: scotland"}))],
        update=True,
        dry_run=True,
    )

    assert [(c.label, c.old, c.new) for c in report.updated[0].changes] == [
        ("Nation", "Wales", "Scotland")
    ]
    assert database_state() == before


def test_a_published_review_can_be_updated_by_a_published_document():
    review_documents_import(sources=[("baby-q.md", document("published"))], keep_status=True)

    review_documents_import(
        sources=[("baby-q.md", document("published", **{"at 3 months.": "aged 3 months."}))],
        update=True,
        keep_status=True,
    )

    live = Review.objects.published().get(slug="baby-q")
    assert live.summary == "Baby Q was seriously injured aged 3 months."


def test_an_editor_with_permission_imports_a_draft_and_the_audit_log_names_them():
    user = editor("add_review", "change_review")

    review_documents_import(sources=[("baby-q.md", document())], user=user)

    entry = AuditEntry.objects.get(review_title="Baby Q")
    assert (entry.action, entry.user_name) == ("created", "editor")


# Refusing ----------------------------------------------------------------------------------


def test_one_bad_document_refuses_the_whole_import():
    bad = document(**{"fathers-and-male-carers": "fathers"})

    found = refused([("baby-a.md", (FIXTURES / "baby-a.md").read_bytes()), ("q.md", bad)])

    line = (
        DOCUMENT.split("\n").index(
            "    themes: [injuries-in-non-mobile-babies, fathers-and-male-carers]"
        )
        + 1
    )
    assert found == [
        f"q.md:{line}: learning[1].themes: unknown theme 'fathers' "
        "(did you mean 'fathers-and-male-carers'?)"
    ]


def test_problems_of_every_document_are_reported_together():
    found = refused(
        [
            ("one.md", document(**{"nation: wales": "nation: wails"})),
            ("two.md", b"no front matter"),
        ]
    )

    assert [problem.split(":")[0] for problem in found] == ["one.md", "two.md"]


def test_two_documents_with_one_slug_are_refused():
    found = refused([("a.md", document()), ("b.md", document())])

    assert found == [
        "b.md:3: slug: 'baby-q' is also the slug of a.md; each review in an import needs its own"
    ]


def test_an_existing_slug_is_refused_without_update():
    review_documents_import(sources=[("baby-q.md", document())])

    found = refused([("baby-q.md", document(**{"nation: wales": "nation: england"}))])

    assert found == [
        "baby-q.md:3: slug: a review with the slug 'baby-q' already exists; import with "
        "update to replace it with this document"
    ]


def test_values_the_database_cannot_hold_are_refused_with_their_line():
    long_title = "A" * 201
    found = refused([("q.md", document(**{"title: Baby Q": f"title: {long_title}\nslug: q"}))])

    assert found == ["q.md:3: title: Ensure this value has at most 200 characters (it has 201)."]


def test_an_agency_name_too_long_for_the_database_is_refused():
    name = "Agency " + "x" * 120

    found = refused([("q.md", document(**{"agencies: [GP]": f"agencies: [{name}]"}))])

    assert found == [
        f"q.md: agency '{name}': Ensure this value has at most 120 characters (it has 127)."
    ]


def test_a_published_review_cannot_be_made_a_draft_or_withdrawn_by_an_import():
    review_documents_import(sources=[("baby-q.md", document("published"))], keep_status=True)

    for status in ("draft", "withdrawn"):
        found = refused([("baby-q.md", document(status))], update=True, keep_status=True)

        assert found == [
            f"baby-q.md:7: status: the review is published on the portal and an import cannot "
            f"make it {status}; do that in the admin, or import the document as published"
        ]


def test_an_address_still_used_by_another_published_review_is_refused(publisher):
    old = build_review(slug="baby-q", title="Old Baby Q")
    Review.objects.filter(pk=old.pk).update(slug="old-baby-q")  # its live copy keeps baby-q

    found = refused([("baby-q.md", document("published"))], keep_status=True)

    assert found == [
        "baby-q.md:3: slug: another published or withdrawn review still uses the address 'baby-q'"
    ]


def test_an_editors_published_document_waits_for_sign_off_and_is_not_public():
    # Issue 14: through the admin an import never publishes; it is a working copy waiting
    # for a publisher, whoever uploaded it.
    user = editor("add_review", "change_review")

    review_documents_import(sources=[("baby-q.md", document("published"))], user=user)

    review = Review.objects.working_copies().get(slug="baby-q")
    assert review.status == Review.Status.READY
    assert not Review.objects.published().filter(slug="baby-q").exists()


def test_a_user_who_may_not_add_reviews_cannot_import_one():
    found = refused([("baby-q.md", document())], user=editor("change_review"))

    assert found == [
        "baby-q.md:7: status: you do not have permission to add reviews, which importing "
        "this review needs"
    ]


def test_a_publishers_published_document_waits_for_another_persons_sign_off(publisher):
    from reviews.models import AuditEntry
    from reviews.publishing import services

    review_documents_import(sources=[("baby-q.md", document("published"))], user=publisher)

    review = Review.objects.working_copies().get(slug="baby-q")
    assert review.status == Review.Status.READY
    assert not Review.objects.published().filter(slug="baby-q").exists()
    assert AuditEntry.objects.filter(review=review, action="submitted").exists()
    with pytest.raises(services.WorkflowError, match="four eyes"):
        services.review_publish(review=review, user=publisher)


def test_the_admin_cannot_ask_to_keep_a_documents_status(publisher):
    with pytest.raises(ValueError, match="command-line imports only"):
        review_documents_import(
            sources=[("baby-q.md", document("published"))], user=publisher, keep_status=True
        )


# The command -------------------------------------------------------------------------------


def test_the_command_imports_a_folder_recursively(tmp_path):
    (tmp_path / "nested").mkdir()
    (tmp_path / "nested" / "baby-q.md").write_bytes(document())
    (tmp_path / "notes.txt").write_text("not a review")
    out = StringIO()

    call_command("import_reviews", str(tmp_path), stdout=out)

    assert f"{tmp_path}/nested/baby-q.md: baby-q created (draft)" in out.getvalue()
    assert Review.objects.filter(slug="baby-q").exists()


def test_the_command_names_file_line_and_field_and_exits_non_zero(tmp_path):
    good, bad = tmp_path / "good.md", tmp_path / "bad.md"
    good.write_bytes(document())
    bad.write_bytes(document(**{"nation: wales": "nation: englnd"}))
    before = database_state()

    with pytest.raises(CommandError) as caught:
        call_command("import_reviews", str(good), str(bad))

    assert str(caught.value) == (
        f"{bad}:6: nation: unknown nation 'englnd' (did you mean 'england'?)\n"
        "Nothing was imported: 1 of 2 documents refused."
    )
    assert database_state() == before


def test_the_command_exits_with_status_1_on_a_bad_document(tmp_path):
    import subprocess
    import sys

    bad = tmp_path / "bad.md"
    bad.write_bytes(b"---\nformat: review-document/1\n")
    # A real process exits with the status, so it needs a database of its own.
    env = {
        "DJANGO_SETTINGS_MODULE": "portal.settings.test",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "PATH": "/usr/bin:/bin",
    }

    def manage(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(  # noqa: S603 - our own manage.py with paths we made
            [sys.executable, "manage.py", *args],
            capture_output=True,
            text=True,
            cwd=Path(__file__).resolve().parents[2],
            env=env,
            check=False,
        )

    assert manage("migrate", "--noinput").returncode == 0
    result = manage("import_reviews", str(bad), "--dry-run")

    assert result.returncode == 1
    assert f"{bad}:1: the front matter opened on line 1 is never closed" in result.stderr


def test_the_command_update_and_dry_run_options(tmp_path):
    path = tmp_path / "baby-q.md"
    path.write_bytes(document())
    call_command("import_reviews", str(path), stdout=StringIO())
    path.write_bytes(document(**{"nation: wales": "nation: scotland"}))
    out = StringIO()

    call_command("import_reviews", str(path), "--update", "--dry-run", stdout=out)

    assert "baby-q would be updated (draft, 1 changes)" in out.getvalue()
    assert "Dry run, nothing written: 1 review would be updated (baby-q)" in out.getvalue()
    assert Review.objects.get(slug="baby-q").nation == "wales"


def test_the_command_refuses_a_missing_path_and_an_empty_folder(tmp_path):
    with pytest.raises(CommandError, match="no such file or folder"):
        call_command("import_reviews", str(tmp_path / "missing.md"))
    with pytest.raises(CommandError, match="no .md files in this folder"):
        call_command("import_reviews", str(tmp_path))


def test_the_command_without_keep_status_leaves_a_published_document_waiting_for_sign_off(
    tmp_path,
):
    from reviews.models import AuditEntry

    (tmp_path / "baby-q.md").write_bytes(document("published"))
    out = StringIO()

    call_command("import_reviews", str(tmp_path), stdout=out)

    assert not Review.objects.published().filter(slug="baby-q").exists()
    review = Review.objects.working_copies().get(slug="baby-q")
    assert review.status == Review.Status.READY
    created = AuditEntry.objects.get(review=review, action="created")
    assert created.user is None
    assert "(import_reviews)" in created.details["run_by"]
    assert created.details["file"].endswith("baby-q.md")


def test_the_command_with_keep_status_publishes_and_records_who_ran_it(tmp_path, monkeypatch):
    from reviews.models import AuditEntry

    monkeypatch.setattr("getpass.getuser", lambda: "migration-operator")
    (tmp_path / "baby-q.md").write_bytes(document("published"))

    call_command("import_reviews", "--keep-status", str(tmp_path), stdout=StringIO())

    assert Review.objects.published().filter(slug="baby-q").exists()
    entry = AuditEntry.objects.get(action="imported-live")
    assert entry.details["run_by"] == "migration-operator (import_reviews)"
    assert entry.details["keep_status"] is True
