"""English on this portal is British English: the "en" language uses en_GB's date and number
formats (day before month), as the portal did when its language code was en-gb."""

from django.conf.locale.en_GB.formats import *  # noqa: F403
