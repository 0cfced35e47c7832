"""The shipped theme vocabulary (specs/themes.md); board staff extend it in the admin."""

from django.db import migrations

THEMES = [
    (
        "voice-of-the-child",
        "Voice of the child",
        "Seeing, hearing and speaking to children, including those who disclose.",
    ),
    (
        "domestic-abuse",
        "Domestic abuse",
        "Abuse between adults in the household and its impact on children.",
    ),
    (
        "parental-mental-health",
        "Parental mental health",
        "Parents' mental ill health, including perinatal depression.",
    ),
    (
        "parental-substance-misuse",
        "Parental substance misuse",
        "Alcohol and drug use by parents and carers.",
    ),
    ("neglect", "Neglect", "Persistent failure to meet a child's basic needs."),
    (
        "information-sharing",
        "Information sharing",
        "Sharing what is known across agencies and professions.",
    ),
    (
        "multi-agency-working",
        "Multi-agency working",
        "Coordination, meetings and joint plans across agencies.",
    ),
    (
        "thresholds-and-step-down",
        "Thresholds and step-down",
        "Levels of need, escalation, step-up and step-down of cases.",
    ),
    ("assessment", "Assessment", "Quality of assessments, including repeat referrals."),
    (
        "professional-curiosity",
        "Professional curiosity",
        "Looking beyond what is presented; testing parents' accounts.",
    ),
    (
        "engagement-and-disguised-compliance",
        "Engagement and disguised compliance",
        "Declined support, missed appointments, apparent cooperation.",
    ),
    (
        "management-oversight",
        "Management oversight",
        "Supervision and managers' grip on cases.",
    ),
    (
        "fathers-and-male-carers",
        "Fathers and male carers",
        "Seeing and assessing the men in a child's life.",
    ),
    (
        "safe-sleep-and-sudi",
        "Safe sleep and SUDI",
        "Sudden unexpected death in infancy and sleeping arrangements.",
    ),
    (
        "home-safety-and-supervision",
        "Home safety and supervision",
        "Supervision of young children, bathing, dogs, home hazards.",
    ),
    (
        "injuries-in-non-mobile-babies",
        "Injuries in non-mobile babies",
        "Bruising and injuries in babies who cannot move by themselves.",
    ),
    (
        "non-accidental-head-injury",
        "Non-accidental head injury",
        "Shaking and abusive head trauma; coping with crying.",
    ),
    (
        "child-sexual-abuse",
        "Child sexual abuse",
        "Sexual abuse within and outside the family.",
    ),
    ("exploitation", "Exploitation", "Criminal and sexual exploitation, county lines."),
    (
        "self-harm-and-suicide",
        "Self-harm and suicide",
        "Children and young people who self-harm or take their own lives.",
    ),
    (
        "race-culture-and-faith",
        "Race, culture and faith",
        "Identity, language, racism and interpreters.",
    ),
    ("disability", "Disability", "Disabled children and parents with disabilities."),
    (
        "early-help",
        "Early help",
        "Support offered before statutory thresholds are met.",
    ),
    (
        "pre-birth-assessment",
        "Pre-birth assessment",
        "Assessing risk before a baby is born.",
    ),
    (
        "escalation-and-challenge",
        "Escalation and challenge",
        "Professional challenge and resolving disagreements.",
    ),
    ("education", "Education", "Schools, attendance, home education and nurseries."),
    (
        "health-services",
        "Health services",
        "Primary care, hospitals, health visiting and midwifery.",
    ),
    (
        "housing-and-moves",
        "Housing and moves",
        "Temporary accommodation, moves and transient families.",
    ),
]


def add_themes(apps, schema_editor):
    Theme = apps.get_model("learning", "Theme")
    for slug, name, description in THEMES:
        Theme.objects.get_or_create(slug=slug, defaults={"name": name, "description": description})


class Migration(migrations.Migration):
    dependencies = [("learning", "0001_initial")]
    operations = [migrations.RunPython(add_themes, migrations.RunPython.noop)]
