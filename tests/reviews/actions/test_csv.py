"""The action plan CSV: the export's bytes, the import's all-or-nothing checks with
file:line messages, formula cells both ways, and the round trip."""

import csv
import io

import pytest

from reviews.actions import services
from reviews.actions.csv_export import action_plan_csv
from reviews.actions.csv_import import ActionPlanError
from reviews.actions.rules import Status
from reviews.models import Action, AuditEntry
from tests.reviews.actions.helpers import add_action, completed, in_days, plan_review, submitted

pytestmark = pytest.mark.django_db

HEADER = "review,recommendation,action,owner,due,status,progress,evidence"


def csv_bytes(*rows: str, header: str = HEADER, bom: bool = True) -> bytes:
    text = "\r\n".join((header, *rows)) + "\r\n"
    return (("\ufeff" if bom else "") + text).encode("utf-8")


def import_plan(data: bytes, *, user, filename: str = "actions.csv"):
    return services.action_plan_import(filename=filename, data=data, user=user)


def problems_of(data: bytes, *, user) -> list[str]:
    with pytest.raises(ActionPlanError) as refused:
        import_plan(data, user=user)
    return refused.value.problems


def rows_of(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


@pytest.fixture
def review():
    return plan_review(slug="baby-x", title="Baby X")


def due(days: int) -> str:
    return in_days(days).isoformat()


class TestExport:
    def test_the_export_has_a_bom_crlf_iso_dates_and_the_spec_columns_in_order(
        self, editor, publisher, review
    ):
        add_action(review, by=editor, recommendation=2, description="Café training")
        add_action(review, by=editor, recommendation=1, owner="GP")
        completed(review, by=editor, accepted_by=publisher, recommendation=1)

        data = action_plan_csv()
        assert data.startswith(b"\xef\xbb\xbfreview,recommendation,action,owner,due,status,")
        assert b"\r\n" in data and b"\n" not in data.replace(b"\r\n", b"")
        rows = rows_of(data)
        assert rows[0] == [*HEADER.split(","), "brag", "accepted_by", "accepted_on"]
        assert [(row[1], row[3], row[5]) for row in rows[1:]] == [
            ("1", "GP", "not-started"),
            ("1", "Health visiting", "complete"),
            ("2", "Health visiting", "not-started"),
        ]
        assert rows[3][2] == "Café training"
        assert rows[1][4] == due(60)
        assert rows[2][8:] == ["blue", "percy", in_days(0).isoformat()]
        assert rows[1][8:] == ["green", "", ""]

    def test_rows_are_ordered_by_review_slug_then_recommendation_then_position(self, editor):
        later = plan_review(slug="zulu")
        earlier = plan_review(slug="alpha")
        add_action(later, by=editor)
        add_action(earlier, by=editor, recommendation=2, description="second")
        add_action(earlier, by=editor, recommendation=2, description="third")
        add_action(earlier, by=editor, recommendation=1, description="first")

        rows = rows_of(action_plan_csv())[1:]
        assert [(row[0], row[2]) for row in rows] == [
            ("alpha", "first"),
            ("alpha", "second"),
            ("alpha", "third"),
            ("zulu", "Audit the health visiting records"),
        ]

    def test_one_reviews_plan_can_be_exported_alone(self, editor, review):
        add_action(review, by=editor)
        add_action(plan_review(slug="other"), by=editor)
        rows = rows_of(action_plan_csv(review_slug="baby-x"))[1:]
        assert [row[0] for row in rows] == ["baby-x"]

    @pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
    def test_a_cell_a_spreadsheet_would_read_as_a_formula_is_written_as_text(
        self, editor, review, start
    ):
        text = f'{start}HYPERLINK("http://evil.example","click")'
        add_action(review, by=editor, progress=f"ok\n{text}", evidence="x" + text)
        action = Action.objects.get()
        Action.objects.filter(pk=action.pk).update(description=text)

        row = rows_of(action_plan_csv())[1]
        assert row[2] == "'" + text
        assert row[6].startswith("ok")  # only a cell's first character counts
        assert row[7].startswith("x")


class TestImport:
    def test_new_rows_add_actions_and_matching_rows_update_them(self, editor, review):
        data = csv_bytes(
            f"baby-x,1,Audit records,Health visiting,{due(10)},not-started,,",
            f"baby-x,1,Train staff,GP,{due(40)},in-progress,Booked,",
            f"baby-x,2,Review policy,Police,{due(90)},not-started,,",
        )
        report = import_plan(data, user=editor)
        assert (report.created, report.updated, report.unchanged) == (3, 0, 0)
        assert list(
            Action.objects.values_list("recommendation_number", "position", "description")
        ) == [(1, 1, "Audit records"), (1, 2, "Train staff"), (2, 1, "Review policy")]

        changed = csv_bytes(
            f"baby-x,1,Audit records,Health visiting,{due(10)},in-progress,Half done,",
            f"baby-x,1,Train staff,GP,{due(40)},in-progress,Booked,",
            f"baby-x,2,Review policy,Police,{due(90)},not-started,,",
            f"baby-x,2,Share learning,Police,{due(90)},not-started,,",
        )
        report = import_plan(changed, user=editor)
        assert (report.created, report.updated, report.unchanged) == (1, 1, 2)
        assert Action.objects.get(position=1, recommendation_number=1).progress == "Half done"
        assert AuditEntry.objects.filter(action=AuditEntry.Action.ACTION_PLAN_IMPORTED).count() == 2

    def test_a_file_without_a_bom_is_read_too(self, editor, review):
        data = csv_bytes(f"baby-x,1,Audit,GP,{due(10)},not-started,,", bom=False)
        assert import_plan(data, user=editor).created == 1

    def test_complete_in_a_file_is_only_a_claim_awaiting_acceptance(self, editor, review):
        import_plan(
            csv_bytes(f"baby-x,1,Audit,GP,{due(10)},complete,,The audit report"), user=editor
        )
        action = Action.objects.get()
        assert action.status == Status.EVIDENCE_SUBMITTED
        assert action.evidence_submitted_by == editor

    def test_one_bad_row_refuses_the_whole_file_naming_file_line_and_column(self, editor, review):
        data = csv_bytes(
            f"baby-x,1,Audit,Health visiting,{due(10)},not-started,,",
            f"baby-x,1,Train,Helth visiting,{due(10)},not-started,,",
        )
        assert problems_of(data, user=editor) == [
            "actions.csv:3: owner: unknown agency 'Helth visiting' "
            "(did you mean 'Health visiting'?)"
        ]
        assert not Action.objects.exists()

    @pytest.mark.parametrize(
        ("row", "expected"),
        [
            (
                "baby-y,1,Audit,GP,{d},not-started,,",
                "actions.csv:2: review: unknown review 'baby-y' (did you mean 'baby-x'?)",
            ),
            (
                "baby-x,7,Audit,GP,{d},not-started,,",
                "actions.csv:2: recommendation: review 'baby-x' has 2 recommendations; "
                "there is no recommendation 7",
            ),
            (
                "baby-x,one,Audit,GP,{d},not-started,,",
                "actions.csv:2: recommendation: 'one' is not a recommendation number",
            ),
            (
                "baby-x,1,Audit,GP,2027-02-30,not-started,,",
                "actions.csv:2: due: 2027-02-30 is not a date that exists",
            ),
            (
                "baby-x,1,Audit,GP,31/03/2027,not-started,,",
                "actions.csv:2: due: '31/03/2027' is not a date written YYYY-MM-DD",
            ),
            (
                "baby-x,1,Audit,GP,2001-01-01,not-started,,",
                "actions.csv:2: due: 2001-01-01 is before the review existed ({today})",
            ),
            (
                "baby-x,1,Audit,GP,{d},done,,",
                "actions.csv:2: status: unknown status 'done' (use not-started, in-progress, "
                "evidence-submitted or complete)",
            ),
            (
                "baby-x,1,Audit,GP,{d},evidence-submitted,,",
                "actions.csv:2: evidence: an action marked 'evidence-submitted' needs its evidence",
            ),
            (",1,Audit,GP,{d},not-started,,", "actions.csv:2: review: this column cannot be empty"),
            (
                "baby-x,1,Audit,GP,{d},not-started",
                "actions.csv:2: 6 cells where the first row names 8 columns",
            ),
        ],
    )
    def test_each_bad_cell_is_named(self, editor, review, row, expected):
        data = csv_bytes(row.format(d=due(10)))
        assert problems_of(data, user=editor) == [expected.format(today=in_days(0).isoformat())]

    def test_every_problem_is_listed_with_its_own_line(self, editor, review):
        data = csv_bytes(
            f"baby-x,1,Audit,Nobody,{due(10)},not-started,,",
            f'baby-x,1,"A cell over\ntwo lines",GP,{due(10)},not-started,,',
            f"baby-x,9,Audit,GP,{due(10)},not-started,,",
        )
        problems = problems_of(data, user=editor)
        assert [problem.split(": ")[0:2] for problem in problems] == [
            ["actions.csv:2", "owner"],
            ["actions.csv:5", "recommendation"],
        ]

    def test_a_status_jump_the_rules_forbid_is_refused(self, editor, publisher, review):
        submitted(review, by=editor, recommendation=1)
        completed(review, by=editor, accepted_by=publisher, recommendation=2)
        data = csv_bytes(
            f"baby-x,1,Audit the health visiting records,Health visiting,{due(60)},not-started,,",
            f"baby-x,2,Audit the health visiting records,Health visiting,{due(60)},in-progress,,",
        )
        problems = problems_of(data, user=editor)
        assert problems[0].startswith("actions.csv:2: status: the action is evidence submitted")
        assert problems[1].startswith("actions.csv:3: status: this action is complete")

    def test_a_complete_action_cannot_be_changed_by_a_file(self, editor, publisher, review):
        completed(review, by=editor, accepted_by=publisher, evidence="Audit")
        data = csv_bytes(
            f"baby-x,1,Changed text,Health visiting,{due(60)},complete,,Audit",
        )
        assert problems_of(data, user=editor) == [
            "actions.csv:2: this action is complete (its evidence was accepted), "
            "so it cannot change"
        ]

    def test_a_bad_header_is_refused(self, editor, review):
        data = csv_bytes(f"baby-x,1,Audit,GP,{due(10)},not-started,,", header="review,rec,action")
        (problem,) = problems_of(data, user=editor)
        assert problem.startswith("actions.csv:1: the first row must name the columns")
        assert "column 2 should be 'recommendation', not 'rec'" in problem

    def test_text_that_is_not_utf8_is_refused_with_its_line(self, editor, review):
        data = csv_bytes(f"baby-x,1,Audit,GP,{due(10)},not-started,,").replace(
            b"Audit", "Café".encode("latin-1")
        )
        assert problems_of(data, user=editor) == [
            "actions.csv:2: the file is not UTF-8 text (in Excel, save it as “CSV UTF-8”)"
        ]

    def test_an_empty_file_is_refused(self, editor):
        assert problems_of(b"", user=editor) == ["actions.csv:1: the file is empty"]

    def test_a_formula_cell_is_kept_as_text(self, editor, review):
        data = csv_bytes(
            f'baby-x,1,"=HYPERLINK(""http://evil.example"",""x"")",GP,{due(10)},not-started,'
            f"'=1+1,@SUM(A1)"
        )
        import_plan(data, user=editor)
        action = Action.objects.get()
        assert action.description == '=HYPERLINK("http://evil.example","x")'
        assert action.progress == "=1+1"  # the export's leading ' is taken off again
        assert action.evidence == "@SUM(A1)"
        assert rows_of(action_plan_csv())[1][2] == "'" + action.description

    def test_the_import_needs_permission(self, review):
        from django.core.exceptions import PermissionDenied

        from tests.reviews.workflow_helpers import user_in

        with pytest.raises(PermissionDenied):
            import_plan(csv_bytes(f"baby-x,1,A,GP,{due(9)},not-started,,"), user=user_in(None, "v"))


class TestRoundTrip:
    def test_export_import_into_a_copy_and_export_again_gives_the_same_bytes(
        self, editor, publisher, review
    ):
        add_action(review, by=editor, description="=cmd|' /C calc'!A0", progress="Ça va\nbien")
        add_action(review, by=editor, recommendation=2, owner="Police", due_on=in_days(3))
        submitted(review, by=editor, recommendation=2, evidence='Report "final", v2')
        completed(review, by=editor, accepted_by=publisher, recommendation=1)
        first = action_plan_csv()

        report = import_plan(first, user=editor)
        assert report.unchanged == 4 and report.updated == report.created == 0
        assert action_plan_csv() == first

    def test_a_plan_imported_into_an_empty_portal_exports_as_it_came_in(self, editor, review):
        add_action(review, by=editor, description="+44 helpline", progress="Ça va\nbien")
        add_action(review, by=editor, recommendation=2, owner="Police", due_on=in_days(3))
        submitted(review, by=editor, recommendation=2, evidence='Report "final", v2')
        first = action_plan_csv()
        Action.objects.all().delete()

        assert import_plan(first, user=editor).created == 3
        assert action_plan_csv() == first


def test_reimporting_unchanged_rows_costs_the_same_queries_however_many_there_are(editor, review):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries_for(count: int) -> int:
        Action.objects.all().delete()
        rows = [f"baby-x,{1 + i % 2},Action {i},GP,{due(10)},not-started,," for i in range(count)]
        import_plan(csv_bytes(*rows), user=editor)
        with CaptureQueriesContext(connection) as captured:
            assert import_plan(csv_bytes(*rows), user=editor).unchanged == count
        return len(captured)

    assert queries_for(3) == queries_for(30)


def test_each_imported_action_has_its_own_audit_entry(editor, review):
    import_plan(
        csv_bytes(
            f"baby-x,1,Audit,GP,{due(10)},not-started,,",
            f"baby-x,2,Train,GP,{due(10)},complete,,Minutes",
        ),
        user=editor,
    )
    entries = AuditEntry.objects.filter(action=AuditEntry.Action.ACTION_CREATED)
    assert sorted(entry.details["action_id"] for entry in entries) == sorted(
        Action.objects.values_list("pk", flat=True)
    )
    assert {entry.user for entry in entries} == {editor}
