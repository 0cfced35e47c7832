import pytest
from django.template import engines

from portal.warmup import warm_up


@pytest.mark.django_db
def test_warm_up_compiles_every_project_template_without_touching_the_database(
    django_assert_num_queries,
):
    loader = engines["django"].engine.template_loaders[0]
    loader.reset()

    with django_assert_num_queries(0):
        count = warm_up()

    assert count > 30
    assert "reviews/_review_body.html" in loader.get_template_cache
    assert "base.html" in loader.get_template_cache
