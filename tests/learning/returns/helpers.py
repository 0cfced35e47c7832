"""Shared set-up for the discussion return tests: a published review and its sheet's code."""

import datetime
import re

from django.utils import timezone

from learning.returns.models import UseCode
from reviews.models import Agency

CODE_IN_PAGE = re.compile(r"/use/([A-Z0-9]{8})/")


def code_on(client, url: str) -> UseCode:
    """The use code printed on the page at `url`."""
    html = client.get(url).content.decode()
    return UseCode.objects.get(code=CODE_IN_PAGE.search(html).group(1))


def sheet_code(client, slug: str, kind: str = "discussion-sheet") -> UseCode:
    return code_on(client, f"/reviews/{slug}/{kind}/")


def valid_post(**changes) -> dict:
    """A return the form accepts (agency "gp" exists once build_review has run)."""
    data = {
        "discussed_on": (timezone.localdate() - datetime.timedelta(days=1)).isoformat(),
        "team_name": "Earlsdon GP practice",
        "agency": Agency.objects.get(name="GP").slug,
        "agency_other": "",
        "participants": "7",
        "roles": ["gp", "nurse"],
        "prompts_discussed": ["1.1", "2.2"],
        "different": "We will phone the health visitor before closing a concern.",
        "email": "",
        "website": "",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}
