"""What a search result shows and links to, copied onto its entry: filled from the review,
its board and the learning point for the entries there are."""

from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def fill_sources(apps, schema_editor):
    SearchEntry = apps.get_model("learning", "SearchEntry")
    Review = apps.get_model("reviews", "Review")
    LearningPoint = apps.get_model("learning", "LearningPoint")
    review = Review.objects.filter(pk=OuterRef("review_id"))
    point = LearningPoint.objects.filter(pk=OuterRef("learning_point_id"))
    SearchEntry.objects.update(
        review_slug=Subquery(review.values("slug")[:1]),
        review_title=Subquery(review.values("title")[:1]),
        board_name=Subquery(review.values("board__name")[:1]),
        learning_point_position=Subquery(point.values("position")[:1]),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("learning", "0009_search_words"),
    ]

    operations = [
        migrations.AddField(
            model_name="searchentry",
            name="board_name",
            field=models.CharField(default="", max_length=200),
        ),
        migrations.AddField(
            model_name="searchentry",
            name="learning_point_position",
            field=models.PositiveIntegerField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="searchentry",
            name="review_slug",
            field=models.SlugField(default="", max_length=200),
        ),
        migrations.AddField(
            model_name="searchentry",
            name="review_title",
            field=models.CharField(default="", max_length=200),
        ),
        migrations.RunPython(fill_sources, migrations.RunPython.noop),
    ]
