from django.db import migrations, models

# Welsh names of the shipped themes (docs/welsh-translations.md); boards change them in the
# admin. Only empty Welsh names are filled in, so running it never overwrites a board's own.
WELSH_NAMES = {
    "voice-of-the-child": "Llais y plentyn",
    "domestic-abuse": "Cam-drin domestig",
    "parental-mental-health": "Iechyd meddwl rhieni",
    "parental-substance-misuse": "Camddefnyddio sylweddau gan rieni",
    "neglect": "Esgeulustod",
    "information-sharing": "Rhannu gwybodaeth",
    "multi-agency-working": "Gweithio amlasiantaethol",
    "thresholds-and-step-down": "Trothwyon a chamu i lawr",
    "assessment": "Asesu",
    "professional-curiosity": "Chwilfrydedd proffesiynol",
    "engagement-and-disguised-compliance": "Ymgysylltu a chydymffurfio cudd",
    "management-oversight": "Goruchwyliaeth reoli",
    "fathers-and-male-carers": "Tadau a gofalwyr gwrywaidd",
    "safe-sleep-and-sudi": "Cysgu’n ddiogel a marwolaeth sydyn annisgwyl babanod",
    "home-safety-and-supervision": "Diogelwch yn y cartref a goruchwylio",
    "injuries-in-non-mobile-babies": "Anafiadau i fabanod nad ydynt yn symud",
    "non-accidental-head-injury": "Anaf i’r pen nad yw’n ddamweiniol",
    "child-sexual-abuse": "Cam-drin plant yn rhywiol",
    "exploitation": "Camfanteisio",
    "self-harm-and-suicide": "Hunan-niweidio a hunanladdiad",
    "race-culture-and-faith": "Hil, diwylliant a ffydd",
    "disability": "Anabledd",
    "early-help": "Cymorth cynnar",
    "pre-birth-assessment": "Asesu cyn geni",
    "escalation-and-challenge": "Uwchgyfeirio a herio",
    "health-services": "Gwasanaethau iechyd",
    "housing-and-moves": "Tai a symud cartref",
    "education": "Addysg",
}


def add_welsh_names(apps, schema_editor):
    Theme = apps.get_model("learning", "Theme")
    for slug, name in WELSH_NAMES.items():
        Theme.objects.filter(slug=slug, name_cy="").update(name_cy=name)


class Migration(migrations.Migration):
    dependencies = [
        ("learning", "0014_search_entry_plain_summary"),
    ]

    operations = [
        migrations.AddField(
            model_name="theme",
            name="description_cy",
            field=models.CharField(blank=True, max_length=300, verbose_name="Welsh description"),
        ),
        migrations.AddField(
            model_name="theme",
            name="name_cy",
            field=models.CharField(
                blank=True,
                help_text="Shown on Welsh pages.",
                max_length=100,
                verbose_name="Welsh name",
            ),
        ),
        migrations.RunPython(add_welsh_names, migrations.RunPython.noop),
    ]
