"""import_action_plan and export_action_plan, and the round trip through files."""

import pytest
from django.core.management import CommandError, call_command

from reviews.models import Action, AuditEntry
from tests.reviews.actions.helpers import add_action, completed, in_days, plan_review, submitted

pytestmark = pytest.mark.django_db

HEADER = "review,recommendation,action,owner,due,status,progress,evidence\r\n"


@pytest.fixture
def review():
    return plan_review(slug="baby-x")


def test_import_prints_every_problem_exits_non_zero_and_writes_nothing(tmp_path, review):
    path = tmp_path / "actions.csv"
    path.write_bytes(
        (
            HEADER
            + f"baby-x,1,Audit,GP,{in_days(5)},not-started,,\r\n"
            + f"baby-x,1,Audit,Helth visiting,{in_days(5)},not-started,,\r\n"
            + "baby-x,1,Audit,GP,2027-13-01,not-started,,\r\n"
        ).encode()
    )
    with pytest.raises(CommandError) as refused:
        call_command("import_action_plan", str(path))
    message = str(refused.value)
    assert "actions.csv:3: owner: unknown agency 'Helth visiting'" in message
    assert "actions.csv:4: due: 2027-13-01 is not a date that exists" in message
    assert "Nothing was imported" in message
    assert not Action.objects.exists()


def test_a_command_line_import_is_audited_with_who_ran_it(tmp_path, review, capsys):
    path = tmp_path / "actions.csv"
    path.write_bytes((HEADER + f"baby-x,1,Audit,GP,{in_days(5)},not-started,,\r\n").encode())
    call_command("import_action_plan", str(path))
    assert Action.objects.count() == 1
    entry = AuditEntry.objects.get(action=AuditEntry.Action.ACTION_PLAN_IMPORTED)
    assert entry.user is None and "(import_action_plan)" in entry.details["run_by"]


def test_a_dry_run_writes_nothing(tmp_path, review):
    path = tmp_path / "actions.csv"
    path.write_bytes((HEADER + f"baby-x,1,Audit,GP,{in_days(5)},not-started,,\r\n").encode())
    call_command("import_action_plan", str(path), "--dry-run")
    assert not Action.objects.exists()


def test_export_import_into_a_copy_and_export_again_gives_identical_files(
    tmp_path, editor, publisher, review
):
    other = plan_review(slug="alpha")
    add_action(review, by=editor, description="Relire la procédure", progress="-5 days late")
    submitted(review, by=editor, recommendation=2, evidence="Minutes,\n14 March")
    completed(review, by=editor, accepted_by=publisher, recommendation=2)
    add_action(other, by=editor, owner="Police", due_on=in_days(1))
    first, second = tmp_path / "first.csv", tmp_path / "second.csv"

    call_command("export_action_plan", "-o", str(first))
    call_command("import_action_plan", str(first))
    call_command("export_action_plan", "-o", str(second))

    assert second.read_bytes() == first.read_bytes()
    assert first.read_bytes().count(b"\r\n") == 5


def test_export_of_one_review(tmp_path, editor, review):
    add_action(review, by=editor)
    add_action(plan_review(slug="other"), by=editor)
    out = tmp_path / "x.csv"
    call_command("export_action_plan", "--review", "baby-x", "-o", str(out))
    lines = out.read_bytes().split(b"\r\n")
    assert len(lines) == 3 and lines[1].startswith(b"baby-x,")


def test_export_of_an_unknown_review_is_refused():
    with pytest.raises(CommandError, match="unknown review 'nope'"):
        call_command("export_action_plan", "--review", "nope")
