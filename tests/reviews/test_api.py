import jsonschema
import pytest
from django.urls import resolve, reverse
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


# The document is generated by django-ninja from the Pydantic models in
# learning/discovery/api_schemas.py; these tests keep it and the addresses and responses
# it describes from drifting apart.


def test_the_documents_paths_are_exactly_the_public_addresses(client):
    detail = reverse("api_review_detail", kwargs={"slug": "SLUG"}).replace("SLUG", "{slug}")
    addresses = {reverse("api_review_list"), detail, reverse("api_theme_list")}

    assert set(SPEC["paths"]) == addresses
    assert reverse("api_openapi") == "/api/openapi.json"
    assert client.get(reverse("api_openapi")).json() == SPEC


def test_every_response_object_is_closed_so_a_missing_or_extra_field_fails_validation():
    objects = {
        name: schema
        for name, schema in SPEC["components"]["schemas"].items()
        if name != "ReviewListQuery"
    }

    assert {"Error", "Named", "Review", "ReviewPage", "ReviewSummary", "ThemeList"} <= set(objects)
    for name, schema in objects.items():
        assert schema["additionalProperties"] is False, name
        assert set(schema["required"]) == set(schema["properties"]), name


@pytest.mark.parametrize(
    "url", ["/api/reviews/", "/api/reviews/drifting/", "/api/themes/"], ids=str.strip
)
def test_a_view_whose_data_drifts_from_its_schema_fails_instead_of_answering(
    client, monkeypatch, url
):
    from pydantic import ValidationError

    from learning.discovery import api

    build_review(slug="drifting")
    real_named, real_themes = api._named, api.learning_selectors.theme_list_with_counts

    def themes_with_a_missing_description():
        themes = real_themes()
        themes[0].description = None
        return themes

    # A field the document does not have (list, detail), a field that is not what it says.
    monkeypatch.setattr(api, "_named", lambda obj: {**real_named(obj), "extra": 1})
    monkeypatch.setattr(
        api.learning_selectors, "theme_list_with_counts", themes_with_a_missing_description
    )

    with pytest.raises(ValidationError):
        client.get(url)


def test_error_bodies_and_headers_are_as_they_always_were(client):
    build_review(slug="one")
    expected = {
        "/api/reviews/?page=abc": (400, "page must be a whole number, 1 or more."),
        "/api/reviews/?page=1234567": (400, "page must be a whole number, 1 or more."),
        "/api/reviews/?page_size=0": (400, "page_size must be a whole number from 1 to 100."),
        "/api/reviews/?page=9": (404, "There is no page 9; there are 1."),
        "/api/reviews/missing/": (404, "No published review has that address."),
    }
    for url, (status, message) in expected.items():
        response = client.get(url)
        assert response.status_code == status, url
        assert response.json() == {"error": message, "details": []}, url
        assert response["Cache-Control"] == "max-age=300, public", url

    for url in ("/api/reviews/", "/api/reviews/one/", "/api/themes/"):
        response = client.get(url)
        assert response["Content-Type"] == "application/json"
        assert response["Cache-Control"] == "max-age=300, public"
    document = client.get("/api/openapi.json")
    assert document["Content-Type"] == "application/json"
    assert document["Cache-Control"] == "max-age=3600, public"


def test_an_empty_page_parameter_means_the_default_and_repeats_mean_any_of(client):
    build_review(slug="welsh", nation="wales")
    build_review(slug="english", nation="england")

    data = validate(client.get("/api/reviews/?page=&page_size=&nation=wales&nation=england"),
                    "/api/reviews/")  # fmt: skip

    assert (data["count"], data["page"], data["page_size"]) == (2, 1, 20)


def test_the_list_is_cached_on_its_declared_parameters_only():
    from learning.discovery.facets import FACET_KEYS

    view = resolve("/api/reviews/").func

    assert view.public_cache_params == tuple(sorted({*FACET_KEYS, "page", "page_size"}))


def test_no_docs_page_and_csrf_is_checked_as_before(client):
    # ninja's Swagger page loads scripts from a CDN our Content-Security-Policy refuses.
    assert client.get("/api/docs").status_code == 404
    assert client.head("/api/reviews/").status_code == 405
    # ninja exempts its views from CSRF; ours keep Django's check, as the old views did.
    strict = type(client)(enforce_csrf_checks=True)
    assert strict.post("/api/reviews/").status_code == 403
