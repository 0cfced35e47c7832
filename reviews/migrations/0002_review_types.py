"""The review types fixed by the review document format, with starting texts to edit."""

from django.db import migrations

REVIEW_TYPES = [
    (
        "serious-case-review",
        "Serious Case Review",
        "SCR",
        "Learning from Serious Case Reviews",
    ),
    (
        "child-safeguarding-practice-review",
        "Local Child Safeguarding Practice Review",
        "LCSPR",
        "Learning from Local Child Safeguarding Practice Reviews",
    ),
    (
        "national-review",
        "National Child Safeguarding Practice Review",
        "NCSPR",
        "Learning from National Child Safeguarding Practice Reviews",
    ),
    ("rapid-review", "Rapid Review", "", "Learning from Rapid Reviews"),
    ("thematic-review", "Thematic Review", "", "Learning from Thematic Reviews"),
    (
        "child-practice-review",
        "Child Practice Review (Wales)",
        "CPR",
        "Learning from Child Practice Reviews",
    ),
    (
        "learning-review",
        "Learning Review (Scotland)",
        "",
        "Learning from Learning Reviews",
    ),
    (
        "safeguarding-adults-review",
        "Safeguarding Adults Review",
        "SAR",
        "Learning from Safeguarding Adults Reviews",
    ),
    (
        "domestic-homicide-review",
        "Domestic Homicide Review",
        "DHR",
        "Learning from Domestic Homicide Reviews",
    ),
    ("other", "Other review", "", "Learning from reviews"),
]


def add_review_types(apps, schema_editor):
    ReviewType = apps.get_model("reviews", "ReviewType")
    for position, (slug, name, short_name, heading) in enumerate(REVIEW_TYPES):
        ReviewType.objects.update_or_create(
            slug=slug,
            defaults={
                "name": name,
                "short_name": short_name,
                "learning_heading": heading,
                "position": position,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("reviews", "0001_initial")]
    operations = [migrations.RunPython(add_review_types, migrations.RunPython.noop)]
