import pytest
from django.urls import reverse

from reviews.models import ChronologyEvent
from tests.factories import StaffUserFactory, UserFactory, build_review

pytestmark = pytest.mark.django_db


def test_markdown_preview_renders_through_the_sanitiser_for_staff(client, superuser):
    client.force_login(superuser)

    response = client.post(
        reverse("markdownx_markdownify"), {"content": "**bold** <script>alert(1)</script>"}
    )

    assert response.status_code == 200
    assert "<strong>bold</strong>" in response.content.decode()
    assert "<script" not in response.content.decode()


def test_markdown_preview_is_refused_to_the_public_and_to_non_staff(client):
    response = client.post(reverse("markdownx_markdownify"), {"content": "**bold**"})
    assert response.status_code == 302 and "/admin/login/" in response["Location"]

    client.force_login(UserFactory(username="reader"))
    response = client.post(reverse("markdownx_markdownify"), {"content": "**bold**"})
    assert response.status_code == 302


def test_markdownx_image_upload_is_not_mounted(client, superuser):
    client.force_login(superuser)
    for path in ("/markdownx/upload/", "/admin/markdownx/upload/", "/markdownx/markdownify/"):
        assert client.post(path).status_code in (404, 302), path


def test_review_is_edited_on_one_admin_page_with_its_inlines(client, superuser):
    review = build_review(slug="admin-page")
    client.force_login(superuser)

    response = client.get(reverse("admin:reviews_review_change", args=[review.pk]))

    html = response.content.decode()
    assert response.status_code == 200
    for prefix in ("chronology_events", "findings", "recommendations", "learning_points"):
        assert f'name="{prefix}-TOTAL_FORMS"' in html, prefix
    assert "markdownx" in html


def inline_data(review, response) -> dict:
    """The change form's own POST data, as a browser would send it unchanged."""
    form = response.context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if hasattr(value, "__iter__") and not isinstance(value, str):
            data[name] = [getattr(v, "pk", v) for v in value]
        elif value is not None:
            data[name] = getattr(value, "pk", value)
    for formset in response.context["inline_admin_formsets"]:
        management = formset.formset.management_form
        for name in management.fields:
            data[f"{management.prefix}-{name}"] = management.initial.get(name, 0)
        for form in formset.formset.forms:
            for name, field in form.fields.items():
                value = form.initial.get(name, field.initial)
                key = f"{form.prefix}-{name}"
                if hasattr(value, "__iter__") and not isinstance(value, str):
                    data[key] = [getattr(v, "pk", v) for v in value]
                elif value is not None and value is not False:
                    data[key] = getattr(value, "pk", value)
    return data


def test_editors_can_swap_two_chronology_events_by_their_positions(client, superuser):
    review = build_review(slug="swap", events=2)
    first, second = review.chronology_events.order_by("position")
    client.force_login(superuser)
    url = reverse("admin:reviews_review_change", args=[review.pk])
    data = inline_data(review, client.get(url))
    data["chronology_events-0-position"] = 2
    data["chronology_events-1-position"] = 1

    response = client.post(url, data)

    assert response.status_code == 302, response.context and response.context.get("errors")
    assert ChronologyEvent.objects.get(pk=first.pk).position == 2
    assert ChronologyEvent.objects.get(pk=second.pk).position == 1


def test_two_rows_with_one_position_are_refused_with_a_message(client, superuser):
    review = build_review(slug="clash", events=2)
    client.force_login(superuser)
    url = reverse("admin:reviews_review_change", args=[review.pk])
    data = inline_data(review, client.get(url))
    data["chronology_events-1-position"] = data["chronology_events-0-position"]

    response = client.post(url, data)

    assert response.status_code == 200
    assert "both have position" in response.content.decode()
    assert sorted(review.chronology_events.values_list("position", flat=True)) == [1, 2]


def test_staff_without_permissions_cannot_open_the_review_admin(client):
    client.force_login(StaffUserFactory(username="nobody"))

    assert client.get(reverse("admin:reviews_review_changelist")).status_code == 403


def test_board_and_theme_lists_count_each_published_review_once(client, superuser):
    review = build_review(slug="counted-once", learning_points=2)
    client.force_login(superuser)

    boards = client.get(reverse("admin:reviews_board_changelist"))
    themes = client.get(reverse("admin:learning_theme_changelist") + "?q=voice-of-the-child")

    board = next(row for row in boards.context["cl"].result_list if row.pk == review.board_id)
    assert board.review_count == 1
    (theme,) = themes.context["cl"].result_list
    assert theme.learning_point_count == 2


@pytest.mark.parametrize("nested", [">" * 5000 + " deep", "- " * 3000 + "deep", "1. " * 3000])
def test_the_preview_explains_markdown_nested_too_deeply_instead_of_failing(
    client, superuser, nested
):
    client.force_login(superuser)

    response = client.post(reverse("markdownx_markdownify"), {"content": nested})

    assert response.status_code == 200
    assert "more than 20 levels deep" in response.content.decode()


def test_saving_markdown_nested_too_deeply_is_refused_on_the_field(client, superuser):
    from django.core.exceptions import ValidationError

    review = build_review(slug="deep", learning_points=1)
    learning_point = review.learning_points.get()
    learning_point.body = "Fine.\n\n" + "- " * 3000 + "deep"

    with pytest.raises(ValidationError) as error:
        learning_point.full_clean()

    assert "line 3" in str(error.value.message_dict["body"])
