"""Search entries lose their theme links: nothing reads them since facet counts come from
the catalogue (reviews/catalogue.py), which reads the learning points' own themes."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("learning", "0007_search_entry_word_pairs"),
    ]

    operations = [
        migrations.RemoveField(
            model_name="searchentry",
            name="themes",
        ),
    ]
