"""The privacy check around the scanner: protected names, findings, acknowledgements, the gate."""

import io
import json
import logging
import re

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django.urls import reverse

from reviews.documents.exporting import review_documents_export
from reviews.documents.format import DocumentError
from reviews.documents.importing import review_documents_import
from reviews.models import (
    AuditEntry,
    ChronologyEvent,
    DiscussionPrompt,
    LearningPoint,
    PrivacyAcknowledgement,
    ProtectedNameDigest,
    Review,
    ReviewRevision,
)
from reviews.privacy.review_scan import review_scan
from reviews.privacy.services import privacy_acknowledge, protected_names_add, protected_names_clear
from reviews.privacy.stored_names import protected_names_count
from reviews.publishing import services
from tests.factories import build_review
from tests.reviews.workflow_helpers import draft, edit, live_copy, ready, user_in

pytestmark = pytest.mark.django_db

# Real-looking names that must never reach the database in clear. Unusual spellings, so a
# hit in a dump cannot be a coincidence.
SECRET_NAMES = ["Zorblatt Quennington", "Marigold Vexcombe Primary", "Case 4471-XQ-19"]


def with_summary(review: Review, summary: str, *, by) -> Review:
    return edit(review, by=by, summary=summary)


def kinds(findings) -> list[str]:
    return [finding.kind for finding in findings]


# Scanning a review ----------------------------------------------------------------------


def test_a_clean_review_from_the_factories_has_no_findings(editor):
    review = draft(by=editor)

    assert review_scan(review=review) == []


def test_every_text_field_and_child_row_is_scanned_and_named(editor):
    review = draft(by=editor, summary="They lived at 12 Acacia Avenue.")
    event = review.chronology_events.get(position=2)
    event.text = "Her phone number was 07700 900123."
    event.save()
    point = review.learning_points.get(position=1)
    point.title = "Mail jane.doe@example.com"
    point.save()
    prompt = point.prompts.get(position=3)
    prompt.facilitator_note = "Postcode CV1 2AB came up."
    prompt.save()

    findings = review_scan(review=review)

    assert [(f.kind, f.where, f.match) for f in findings] == [
        ("address", "Case summary", "12 Acacia Avenue"),
        ("phone", "Chronology event 2, what happened", "07700 900123"),
        ("email", "Learning point 1, title", "jane.doe@example.com"),
        ("postcode", "Learning point 1, prompt 3, facilitator note", "CV1 2AB"),
    ]
    assert findings[0].before == "They lived at " and findings[0].after == "."


def test_the_review_title_and_pseudonym_are_not_reported_as_names(editor):
    review = draft(by=editor, title="Ruby Smith", child_pseudonym="Ruby Smith")
    review = with_summary(review, "Ruby Smith was seen by Margaret Thompson.", by=editor)

    findings = review_scan(review=review)

    assert [f.match for f in findings] == ["Margaret Thompson"]


def test_structured_dates_are_not_scanned_but_a_full_date_in_the_text_is(editor):
    review = draft(by=editor, incident_date="2019-03-14")
    assert review_scan(review=review) == []

    review = with_summary(review, "Born on 14 March 2019.", by=editor)

    assert kinds(review_scan(review=review)) == ["date-of-birth"]


# Protected names -------------------------------------------------------------------------


def test_protected_names_are_found_in_any_field_case_and_accent_insensitively(editor):
    review = draft(by=editor)
    protected_names_add(review=review, names="Zoë O'Brien\nOakfield Primary", user=editor)
    review = with_summary(review, "ZOE O'BRIEN's teacher at oakfield primary school.", by=editor)

    findings = review_scan(review=review)

    assert [(f.kind, f.match) for f in findings if f.kind == "protected-name"] == [
        ("protected-name", "ZOE O'BRIEN"),
        ("protected-name", "oakfield primary"),
    ]


def test_protected_names_in_the_slug_are_found(editor):
    review = draft(by=editor, slug="zorblatt-review")
    protected_names_add(review=review, names=["Zorblatt"], user=editor)

    assert [(f.field_label, f.match) for f in review_scan(review=review)] == [("Slug", "zorblatt")]


def test_protected_names_are_stored_only_as_digests_and_counted(editor):
    review = draft(by=editor)

    result = protected_names_add(review=review, names="\n".join(SECRET_NAMES), user=editor)
    again = protected_names_add(review=review, names=SECRET_NAMES[0].upper(), user=editor)

    assert (result.added, result.total) == (3, 3)
    assert (again.added, again.already_stored, again.total) == (0, 1, 3)
    assert protected_names_count(review=review).usable == 3
    stored = list(ProtectedNameDigest.objects.values_list("digest", flat=True))
    assert all(len(digest) == 64 and int(digest, 16) >= 0 for digest in stored)


def test_protected_names_never_appear_in_clear_in_a_dump_of_the_database(client, editor, publisher):
    review = draft(by=editor)
    client.force_login(editor)
    client.post(
        reverse("admin:reviews_review_privacy_names", args=[review.pk]),
        {"names": "\n".join(SECRET_NAMES)},
    )
    assert protected_names_count(review=review).usable == 3
    review = with_summary(review, "Zorblatt Quennington was seen at home.", by=editor)
    finding = review_scan(review=review)[0]
    privacy_acknowledge(
        review=review, fingerprint=finding.fingerprint, reason="Agreed with family", user=publisher
    )

    out = io.StringIO()
    call_command("dumpdata", stdout=out)
    dump = out.getvalue().casefold()

    assert '"model": "reviews.protectednamedigest"' in dump  # the dump does include them
    assert '"model": "reviews.privacyacknowledgement"' in dump
    # Only ever typed into the names form; in any form the normaliser or a log might keep.
    names_only = {"marigold", "vexcombe", "4471-xq", "4471 xq", "4471xq"}
    assert [word for word in names_only if word in dump] == []
    # Zorblatt Quennington is in the summary on purpose: only review text holds it.
    for record in json.loads(out.getvalue()):
        if record["model"] in {
            "reviews.protectednamedigest",
            "reviews.privacyacknowledgement",
            "reviews.auditentry",
            "sessions.session",
        }:
            assert "zorblatt" not in json.dumps(record).casefold()


@pytest.mark.postgres
def test_on_postgresql_no_table_holds_a_protected_name_in_clear(editor):
    review = draft(by=editor)
    protected_names_add(review=review, names="\n".join(SECRET_NAMES), user=editor)

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'"
        )
        tables = [row[0] for row in cursor.fetchall()]
        hits = []
        for table in tables:
            # Table names come from the catalogue, quoted by the connection.
            query = "SELECT count(*) FROM {} t WHERE t::text ILIKE %s OR t::text ILIKE %s"
            cursor.execute(
                query.format(connection.ops.quote_name(table)), ["%vexcombe%", "%zorblatt%"]
            )
            if cursor.fetchone()[0]:
                hits.append(table)

    assert tables and hits == []


def test_the_names_form_never_shows_names_back_even_after_an_error(client, editor, caplog):
    review = draft(by=editor)
    client.force_login(editor)
    url = reverse("admin:reviews_review_privacy_names", args=[review.pk])
    too_long = "Zorblatt one two three four five six seven"

    with caplog.at_level(logging.DEBUG):
        response = client.post(url, {"names": f"Vexcombe\n{too_long}"})

    html = response.content.decode()
    assert response.status_code == 200
    assert "Line 2 has 8 words" in html
    assert "Zorblatt" not in html and "Vexcombe" not in html
    assert protected_names_count(review=review).total == 0  # nothing stored
    assert "Zorblatt" not in caplog.text and "Vexcombe" not in caplog.text
    assert "Zorblatt" not in str(dict(client.session))

    response = client.post(url, {"names": "Vexcombe"}, follow=True)
    html = response.content.decode()
    assert "1 name added; 1 stored in all." in html
    assert "Vexcombe" not in html
    assert "Vexcombe" not in client.get(url).content.decode()


def test_an_audit_entry_records_how_many_names_were_added_never_which(editor):
    review = draft(by=editor)
    protected_names_add(review=review, names="\n".join(SECRET_NAMES), user=editor)
    protected_names_clear(review=review, user=editor)

    entries = AuditEntry.objects.filter(action=AuditEntry.Action.PROTECTED_NAMES_CHANGED)
    assert [entry.details for entry in entries.order_by("id")] == [
        {"added": 3, "stored": 3},
        {"cleared": 3, "stored": 0},
    ]
    assert protected_names_count(review=review).total == 0


def test_clearing_and_adding_in_one_form_replaces_the_list(client, editor):
    review = draft(by=editor)
    protected_names_add(review=review, names="One\nTwo\nThree", user=editor)
    client.force_login(editor)

    client.post(
        reverse("admin:reviews_review_privacy_names", args=[review.pk]),
        {"names": "Four", "clear": "on"},
    )

    assert protected_names_count(review=review).total == 1


def test_protected_names_stay_with_the_working_copy_not_revisions_exports_or_live_copies(
    editor, publisher
):
    review = ready(by=editor)
    protected_names_add(review=review, names="Vexcombe", user=editor)
    services.review_publish(review=review, user=publisher)

    live = live_copy(review)
    assert ProtectedNameDigest.objects.filter(review=live).count() == 0
    assert ProtectedNameDigest.objects.filter(review=review).count() == 1
    digest = ProtectedNameDigest.objects.get().digest
    for revision in ReviewRevision.objects.filter(review=review):
        assert digest not in json.dumps(revision.snapshot)
        assert "protected" not in json.dumps(revision.snapshot)
    for _, text in review_documents_export(reviews=[review]):
        assert digest not in text


def test_changing_the_secret_key_makes_stored_names_unusable_unless_it_is_a_fallback(editor):
    review = draft(by=editor)
    protected_names_add(review=review, names="Vexcombe", user=editor)
    review = with_summary(review, "Vexcombe said so.", by=editor)
    assert kinds(review_scan(review=review)) == ["protected-name"]

    with override_settings(SECRET_KEY="a-new-key", SECRET_KEY_FALLBACKS=["test-only-not-secret"]):
        assert kinds(review_scan(review=review)) == ["protected-name"]
        assert protected_names_count(review=review).usable == 1
    with override_settings(SECRET_KEY="a-new-key", SECRET_KEY_FALLBACKS=[]):
        assert review_scan(review=review) == []
        assert protected_names_count(review=review).unusable == 1


def test_only_people_who_may_change_reviews_add_protected_names(editor):
    review = draft(by=editor)
    reader = user_in(None, "reader")

    with pytest.raises(PermissionDenied):
        protected_names_add(review=review, names="Vexcombe", user=reader)


# Acknowledgements ------------------------------------------------------------------------


def test_an_acknowledgement_survives_rescans_and_edits_elsewhere(editor, publisher):
    review = draft(by=editor)
    review = with_summary(review, "They lived at CV1 2AB for a year.", by=editor)
    finding = review_scan(review=review)[0]

    privacy_acknowledge(
        review=review, fingerprint=finding.fingerprint, reason="Board's office", user=publisher
    )
    assert review_scan(review=review)[0].acknowledged
    event = review.chronology_events.get(position=1)
    event.text = "Something else entirely happened at this point."
    event.save()

    rescanned = review_scan(review=review)
    assert [f.acknowledged for f in rescanned] == [True]
    assert rescanned[0].acknowledgement.reason == "Board's office"


def test_an_acknowledgement_no_longer_applies_when_the_text_around_it_changes(editor, publisher):
    review = draft(by=editor)
    review = with_summary(review, "They lived at CV1 2AB for a year.", by=editor)
    finding = review_scan(review=review)[0]
    privacy_acknowledge(
        review=review, fingerprint=finding.fingerprint, reason="Board's office", user=publisher
    )

    review = with_summary(review, "They lived at CV1 2AB for two years.", by=editor)

    assert [f.acknowledged for f in review_scan(review=review)] == [False]


def test_an_acknowledgement_applies_to_its_own_field_only(editor, publisher):
    review = draft(by=editor)
    review = with_summary(review, "Seen at CV1 2AB.", by=editor)
    privacy_acknowledge(
        review=review,
        fingerprint=review_scan(review=review)[0].fingerprint,
        reason="Office",
        user=publisher,
    )
    review = edit(review, by=editor, content_warning="Seen at CV1 2AB.")

    assert [(f.field_label, f.acknowledged) for f in review_scan(review=review)] == [
        ("Content warning", False),
        ("Case summary", True),
    ]


def test_only_publishers_acknowledge_and_a_reason_is_required(editor, publisher):
    review = draft(by=editor)
    review = with_summary(review, "Seen at CV1 2AB.", by=editor)
    fingerprint = review_scan(review=review)[0].fingerprint

    with pytest.raises(PermissionDenied):
        privacy_acknowledge(review=review, fingerprint=fingerprint, reason="Fine", user=editor)
    with pytest.raises(services.WorkflowError, match="Give a reason"):
        privacy_acknowledge(review=review, fingerprint=fingerprint, reason="  ", user=publisher)
    with pytest.raises(services.WorkflowError, match="no longer in the review"):
        privacy_acknowledge(review=review, fingerprint="0" * 64, reason="Fine", user=publisher)
    assert PrivacyAcknowledgement.objects.count() == 0


def test_a_reason_that_repeats_a_protected_name_is_refused(editor, publisher):
    review = draft(by=editor)
    protected_names_add(review=review, names="Vexcombe", user=editor)
    review = with_summary(review, "Vexcombe's home.", by=editor)
    fingerprint = review_scan(review=review)[0].fingerprint

    with pytest.raises(services.WorkflowError, match="protected names"):
        privacy_acknowledge(
            review=review, fingerprint=fingerprint, reason="vexcombe is fine", user=publisher
        )


# The gate --------------------------------------------------------------------------------


def test_publishing_is_refused_with_the_findings_listed_and_allowed_after_acknowledgement(
    editor, publisher
):
    review = draft(by=editor)
    review = with_summary(review, "The family lived at CV1 2AB.", by=editor)
    review = services.review_submit(review=review, user=editor)

    with pytest.raises(services.WorkflowError) as refused:
        services.review_publish(review=review, user=publisher)

    message = " ".join(refused.value.messages)
    assert "found 1 thing" in message
    assert "Postcode in Case summary: “The family lived at CV1 2AB.”" in message
    review.refresh_from_db()
    assert review.status == Review.Status.READY
    assert not Review.objects.filter(is_live=True).exists()

    finding = review_scan(review=review)[0]
    privacy_acknowledge(
        review=review, fingerprint=finding.fingerprint, reason="Office", user=publisher
    )
    services.review_publish(review=review, user=publisher)
    assert live_copy(review).summary == "The family lived at CV1 2AB."


def test_publishing_is_allowed_after_the_finding_is_fixed(editor, publisher):
    review = draft(by=editor)
    review = with_summary(review, "The family lived at CV1 2AB.", by=editor)
    review = services.review_submit(review=review, user=editor)
    with pytest.raises(services.WorkflowError):
        services.review_publish(review=review, user=publisher)

    review = with_summary(review, "The family lived in the city.", by=editor)

    services.review_publish(review=review, user=publisher)
    assert live_copy(review).summary == "The family lived in the city."


def test_scheduling_is_refused_while_a_protected_name_is_unresolved(editor, publisher):
    from tests.reviews.workflow_helpers import in_minutes

    review = draft(by=editor)
    protected_names_add(review=review, names="Vexcombe", user=editor)
    review = with_summary(review, "Vexcombe was seen.", by=editor)
    review = services.review_submit(review=review, user=editor)

    with pytest.raises(services.WorkflowError, match="Protected name in Case summary"):
        services.review_publish(review=review, user=publisher, go_live_at=in_minutes(60))
    assert not Review.objects.filter(is_live=True).exists()


def test_the_refusal_lists_at_most_ten_findings_and_counts_the_rest(editor, publisher):
    review = draft(by=editor)
    lines = [f"Call 07700 9001{n:02d} now." for n in range(12)]
    review = with_summary(review, "\n\n".join(lines), by=editor)
    review = services.review_submit(review=review, user=editor)

    with pytest.raises(services.WorkflowError) as refused:
        services.review_publish(review=review, user=publisher)

    message = " ".join(refused.value.messages)
    assert "found 12 things" in message and "; and 2 more." in message
    assert message.count("Phone number in Case summary") == 10


# Importing -------------------------------------------------------------------------------

DOCUMENT = """---
format: review-document/1
title: Child Q
slug: child-q
review_type: serious-case-review
board: Example Safeguarding Partnership
nation: england
status: {status}
published_on: 2024-01-10
child:
  pseudonym: Child Q
  age_at_incident: 14 years
  outcome: serious-harm
learning:
  - title: Listening
    themes: [voice-of-the-child]
---
## Case summary

{summary}

## Key learning

### Listening

Listen to the young person.
"""


def document(*, status: str, summary: str) -> list[tuple[str, bytes]]:
    return [("child-q.md", DOCUMENT.format(status=status, summary=summary).encode())]


def test_a_published_document_with_findings_is_refused_with_them_listed():
    with pytest.raises(DocumentError) as refused:
        review_documents_import(
            sources=document(status="published", summary="She lived at 4 Mill Lane."),
            keep_status=True,
        )

    assert "Street address in Case summary: “She lived at 4 Mill Lane.”" in str(refused.value)
    assert "child-q.md" in str(refused.value)
    assert not Review.objects.filter(slug="child-q").exists()


def test_a_draft_document_with_findings_imports_and_reports_them():
    report = review_documents_import(
        sources=document(status="draft", summary="She lived at 4 Mill Lane.")
    )

    (imported,) = report.reviews
    assert [(f.kind, f.match) for f in imported.privacy_unresolved] == [("address", "4 Mill Lane")]
    assert "privacy check: 1 to look at in child-q" in str(report)
    assert Review.objects.get(slug="child-q").status == Review.Status.DRAFT


def test_a_published_update_keeps_the_reviews_acknowledgements(editor, publisher):
    review_documents_import(sources=document(status="draft", summary="At 4 Mill Lane."))
    review = Review.objects.get(slug="child-q")
    privacy_acknowledge(
        review=review,
        fingerprint=review_scan(review=review)[0].fingerprint,
        reason="A public building",
        user=publisher,
    )

    review_documents_import(
        sources=document(status="published", summary="At 4 Mill Lane."),
        update=True,
        keep_status=True,
    )

    assert live_copy(review).summary == "At 4 Mill Lane."


def test_the_demo_documents_scan_clean_and_still_load():
    call_command("load_demo", stdout=io.StringIO())

    for review in Review.objects.working_copies():
        assert review_scan(review=review) == [], review.slug
    assert Review.objects.published().count() == 3


def test_the_import_preview_shows_the_findings(client):
    admin_user = user_in(None, "root", is_superuser=True)
    client.force_login(admin_user)
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile(
        "child-q.md", document(status="draft", summary="Ring 07700 900123.")[0][1]
    )
    response = client.post(reverse("admin:reviews_review_import_documents"), {"document": upload})

    html = response.content.decode()
    assert "Privacy check of Child Q (child-q): 1 unresolved" in html
    assert "<mark>07700 900123</mark>" in html


# The admin pages -------------------------------------------------------------------------


def privacy_page(client, review) -> str:
    response = client.get(reverse("admin:reviews_review_privacy", args=[review.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_the_change_page_links_to_the_privacy_check(client, editor):
    review = draft(by=editor)
    client.force_login(editor)

    html = client.get(reverse("admin:reviews_review_change", args=[review.pk])).content.decode()

    assert reverse("admin:reviews_review_privacy", args=[review.pk]) in html


def test_the_privacy_page_shows_findings_in_context_escaped_and_highlighted(client, editor):
    review = draft(by=editor)
    review = with_summary(review, "<b>Seen</b> at CV1 2AB & home.", by=editor)
    event = review.chronology_events.get(position=3)
    event.text = "Dr Amanda Green saw her."
    event.save()
    client.force_login(editor)

    html = privacy_page(client, review)

    assert "&lt;b&gt;Seen&lt;/b&gt; at <mark>CV1 2AB</mark> &amp; home." in html
    assert "Chronology event 3, what happened" in html
    assert "<mark>Dr Amanda Green</mark>" in html
    change = reverse("admin:reviews_review_change", args=[review.pk])
    assert f'href="{change}#chronology_events-2"' in html
    assert f'href="{change}#id_summary"' in html
    assert 'name="fingerprint"' not in html  # editors cannot acknowledge
    assert not re.search(r"<script(?![^>]*\bsrc=)", html) and "style=" not in html  # CSP


def test_a_publisher_acknowledges_on_the_privacy_page(client, editor, publisher):
    review = draft(by=editor)
    review = with_summary(review, "Seen at CV1 2AB.", by=editor)
    client.force_login(publisher)
    html = privacy_page(client, review)
    assert 'name="fingerprint"' in html
    fingerprint = review_scan(review=review)[0].fingerprint
    url = reverse("admin:reviews_review_privacy_acknowledge", args=[review.pk])

    refused = client.post(url, {"fingerprint": fingerprint, "reason": ""})
    assert any("Give a reason" in str(m) for m in get_messages(refused.wsgi_request))
    client.post(url, {"fingerprint": fingerprint, "reason": "The board's office address"})

    html = privacy_page(client, review)
    assert "1 finding, 0 unresolved" in html
    assert "Acknowledged by percy" in html and "The board&#x27;s office address" in html
    assert AuditEntry.objects.filter(action=AuditEntry.Action.PRIVACY_ACKNOWLEDGED).count() == 1


def test_an_editor_cannot_acknowledge_through_the_page(client, editor):
    review = draft(by=editor)
    review = with_summary(review, "Seen at CV1 2AB.", by=editor)
    client.force_login(editor)

    client.post(
        reverse("admin:reviews_review_privacy_acknowledge", args=[review.pk]),
        {"fingerprint": review_scan(review=review)[0].fingerprint, "reason": "Fine"},
    )

    assert PrivacyAcknowledgement.objects.count() == 0


def test_the_privacy_page_shows_how_many_names_are_stored_never_which(client, editor):
    review = draft(by=editor)
    protected_names_add(review=review, names="\n".join(SECRET_NAMES), user=editor)
    client.force_login(editor)

    for url in (
        reverse("admin:reviews_review_privacy", args=[review.pk]),
        reverse("admin:reviews_review_privacy_names", args=[review.pk]),
        reverse("admin:reviews_review_change", args=[review.pk]),
    ):
        html = client.get(url).content.decode()
        assert "Vexcombe" not in html and "Zorblatt" not in html
    assert "Protected names stored for this review: <strong>3</strong>" in privacy_page(
        client, review
    )


def test_a_learning_points_prompt_links_to_the_learning_points_page(client, editor):
    review = draft(by=editor)
    point = LearningPoint.objects.get(review=review, position=2)
    DiscussionPrompt.objects.filter(learning_point=point, position=2).update(
        question="Would you ring 07700 900123?"
    )
    client.force_login(editor)

    html = privacy_page(client, review)

    url = reverse("admin:learning_learningpoint_change", args=[point.pk])
    assert f'href="{url}#prompts-1"' in html
    assert "Learning point 2, prompt 2, question" in html


def test_a_review_page_of_another_board_member_without_view_permission_is_refused(client):
    review = build_review(draft=True)
    nobody = user_in(None, "nobody")
    client.force_login(nobody)

    response = client.get(reverse("admin:reviews_review_privacy", args=[review.pk]))

    assert response.status_code == 403
    assert ChronologyEvent.objects.filter(review=review).exists()
