"""Case summary pages rendered at publish time (reviews/publishing/pages.py), with the pages of reviews
published before this filled in now."""

from django.db import DatabaseError, migrations, models, transaction


def render_stored_pages(apps, schema_editor):
    # The renderer needs the real models (templates call their methods), which only match
    # this migration's schema while no later migration changes the review tables. If they
    # no longer match, leave the pages empty: the view renders those live, and
    # `manage.py review_pages_render` fills them in.
    from reviews.publishing.pages import review_pages_rerender

    try:
        with transaction.atomic(using=schema_editor.connection.alias):
            review_pages_rerender()
    except DatabaseError:
        pass


class Migration(migrations.Migration):
    dependencies = [
        ("reviews", "0005_publishing_roles"),
    ]

    operations = [
        migrations.AddField(
            model_name="review",
            name="page_html",
            field=models.TextField(blank=True, editable=False),
        ),
        migrations.RunPython(render_stored_pages, migrations.RunPython.noop, elidable=True),
    ]
