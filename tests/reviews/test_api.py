import jsonschema
import pytest
from django.urls import reverse
from referencing import Registry
from referencing.jsonschema import DRAFT202012

from learning.discovery.api import openapi_spec
from tests.factories import build_review

pytestmark = pytest.mark.django_db


SPEC = openapi_spec()
REGISTRY = Registry().with_resource("urn:portal-api", DRAFT202012.create_resource(SPEC))


def validator_for(path: str, status: int) -> jsonschema.Draft202012Validator:
    """A validator for the schema the OpenAPI document declares for this response."""
    declared = SPEC["paths"][path]["get"]["responses"][str(status)]
    if "$ref" in declared:
        declared = SPEC["components"]["responses"][declared["$ref"].rsplit("/", 1)[1]]
    schema_ref = declared["content"]["application/json"]["schema"]["$ref"]
    return jsonschema.Draft202012Validator(
        {"$ref": f"urn:portal-api{schema_ref}"},
        registry=REGISTRY,
        format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER,
    )


def validate(response, path: str, status: int = 200) -> dict:
    assert response.status_code == status, response.content[:500]
    assert response["Content-Type"] == "application/json"
    data = response.json()
    validator_for(path, status).validate(data)
    return data


def test_the_schema_check_rejects_a_response_that_breaks_the_document(client):
    build_review(slug="checked")
    data = client.get("/api/reviews/checked/").json()
    del data["learning_points"]
    data["nation"] = "atlantis"

    errors = list(validator_for("/api/reviews/{slug}/", 200).iter_errors(data))

    assert len(errors) == 2


def test_the_openapi_document_is_valid_openapi_31_json_schema(client):
    response = client.get("/api/openapi.json")

    document = response.json()
    assert document["openapi"] == "3.1.0"
    for name, schema in document["components"]["schemas"].items():
        jsonschema.Draft202012Validator.check_schema(schema), name
    assert set(document["paths"]) == {"/api/reviews/", "/api/reviews/{slug}/", "/api/themes/"}


def test_review_list_matches_its_schema_and_pages_with_links(client):
    for index in range(3):
        build_review(title=f"Child {index}", slug=f"child-api-{index}")
    build_review(title="Draft", slug="draft-api", draft=True)

    first = validate(client.get("/api/reviews/?page_size=2"), "/api/reviews/")
    second = validate(client.get(first["next"]), "/api/reviews/")

    assert first["count"] == 3 and len(first["results"]) == 2
    assert first["previous"] is None and second["next"] is None
    assert second["previous"].endswith("page=1&page_size=2")
    slugs = {r["slug"] for r in first["results"] + second["results"]}
    assert slugs == {"child-api-0", "child-api-1", "child-api-2"}


def test_review_list_takes_the_same_filters_as_the_facets(client):
    build_review(slug="welsh", nation="wales", child_age_months=3)
    build_review(slug="english", nation="england", child_age_months=40)

    data = validate(client.get("/api/reviews/?nation=wales"), "/api/reviews/")
    html = client.get(reverse("reviews:list"), {"nation": "wales"})

    assert [r["slug"] for r in data["results"]] == ["welsh"]
    assert data["count"] == html.context["paginator"].count
    data = validate(
        client.get("/api/reviews/?age=1-4,under-1&theme=voice-of-the-child"), "/api/reviews/"
    )
    assert data["count"] == 2


def test_bad_filters_and_pages_get_a_clear_400_or_404(client):
    build_review(slug="one")

    bad = validate(client.get("/api/reviews/?nation=mars"), "/api/reviews/", 400)
    assert "nation" in bad["details"][0]
    validate(client.get("/api/reviews/?page=abc"), "/api/reviews/", 400)
    validate(client.get("/api/reviews/?page_size=1000"), "/api/reviews/", 400)
    validate(client.get("/api/reviews/?page=9"), "/api/reviews/", 404)


def test_review_detail_is_the_whole_structured_record(client):
    build_review(slug="whole", events=2, learning_points=2, prompts=2)

    data = validate(client.get("/api/reviews/whole/"), "/api/reviews/{slug}/")

    assert len(data["chronology"]) == 2
    assert len(data["findings"]) == 2 and len(data["recommendations"]) == 2
    assert [len(lp["prompts"]) for lp in data["learning_points"]] == [2, 2]
    assert {t["slug"] for t in data["themes"]} == {"voice-of-the-child", "information-sharing"}


def test_drafts_and_withdrawn_reviews_are_not_in_the_api(client):
    from reviews.models import Review

    build_review(slug="draft-only", draft=True)
    build_review(slug="withdrawn")
    Review.objects.published().filter(slug="withdrawn").update(status=Review.Status.WITHDRAWN)

    validate(client.get("/api/reviews/draft-only/"), "/api/reviews/{slug}/", 404)
    validate(client.get("/api/reviews/withdrawn/"), "/api/reviews/{slug}/", 404)
    assert validate(client.get("/api/reviews/"), "/api/reviews/")["count"] == 0


def test_theme_list_matches_its_schema_and_counts_published_learning(client):
    build_review(slug="themed", learning_points=2)
    build_review(slug="themed-draft", learning_points=2, draft=True)

    data = validate(client.get("/api/themes/"), "/api/themes/")

    counts = {theme["slug"]: theme["learning_point_count"] for theme in data["results"]}
    assert counts["voice-of-the-child"] == 2
    assert counts["exploitation"] == 0


def test_the_api_is_read_only(client):
    assert client.post("/api/reviews/").status_code == 405
    assert client.delete("/api/themes/").status_code == 405
