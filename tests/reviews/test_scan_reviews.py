"""`manage.py scan_reviews`: the privacy check of the back catalogue, from the command line."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from reviews.privacy.services import privacy_acknowledge, protected_names_add, review_scan
from tests.reviews.workflow_helpers import draft, edit

pytestmark = pytest.mark.django_db


def scan(*args) -> tuple[str, CommandError | None]:
    out = io.StringIO()
    try:
        call_command("scan_reviews", *args, stdout=out)
    except CommandError as error:
        return out.getvalue(), error
    return out.getvalue(), None


def test_clean_reviews_print_a_summary_and_exit_zero(editor):
    draft(by=editor, slug="child-a")
    draft(by=editor, slug="child-b")

    output, error = scan("--all")

    assert error is None
    assert output.strip() == "2 reviews checked: 0 unresolved, 0 acknowledged."


def test_findings_are_printed_with_where_and_excerpt_and_the_exit_status_is_one(editor):
    review = draft(by=editor, slug="child-a")
    protected_names_add(review=review, names="Vexcombe", user=editor)
    edit(review, by=editor, summary="Vexcombe lived at CV1 2AB.")
    draft(by=editor, slug="child-b")

    output, error = scan("--all")

    assert error is not None and error.returncode == 1
    assert "child-a" in str(error) and "child-b" not in str(error)
    assert output.splitlines() == [
        "child-a: 2 unresolved, 0 acknowledged",
        "  [UNRESOLVED] Protected name in Case summary: »Vexcombe« lived at CV1 2AB.",
        "  [UNRESOLVED] Postcode in Case summary: Vexcombe lived at »CV1 2AB«.",
        "2 reviews checked: 2 unresolved, 0 acknowledged.",
    ]


def test_acknowledged_findings_are_listed_but_do_not_fail_the_check(editor, publisher):
    review = draft(by=editor, slug="child-a")
    review = edit(review, by=editor, summary="Seen at CV1 2AB.")
    privacy_acknowledge(
        review=review,
        fingerprint=review_scan(review=review)[0].fingerprint,
        reason="Office",
        user=publisher,
    )

    output, error = scan("child-a")

    assert error is None
    assert "  [acknowledged] Postcode in Case summary: Seen at »CV1 2AB«." in output
    assert "1 review checked: 0 unresolved, 1 acknowledged." in output


def test_only_the_named_reviews_are_checked(editor):
    review = draft(by=editor, slug="child-a")
    edit(review, by=editor, summary="Seen at CV1 2AB.")
    draft(by=editor, slug="child-b")

    output, error = scan("child-b")

    assert error is None and "1 review checked" in output


def test_an_unknown_slug_or_no_argument_exits_with_status_two(editor):
    draft(by=editor, slug="child-a")

    _, unknown = scan("child-a", "nobody")
    _, neither = scan()
    _, both = scan("--all", "child-a")

    assert unknown.returncode == 2 and "nobody" in str(unknown)
    assert neither.returncode == 2 and both.returncode == 2
