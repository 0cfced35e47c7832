"""What the portal itself stores: counters for the rate limiters (portal.ratelimit), and the
board's own texts (PortalSettings)."""

from django.db import models
from django.db.models import Q
from markdownx.models import MarkdownxField

from portal.markdown import MarkdownRendered


class RateCounter(models.Model):
    """Hits by one client (a digest of scope and identity) in one fixed time window.

    Used only when the cache is local to each worker process; with Redis the counts live
    there instead. Rows are deleted once expired.
    """

    key = models.CharField(max_length=80)
    window = models.BigIntegerField(help_text="The window's number: time // window seconds.")
    hits = models.PositiveIntegerField(default=0)
    expires_at = models.BigIntegerField(help_text="Unix time after which the row is unused.")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["key", "window"], name="portal_ratecounter_key_window")
        ]
        indexes = [models.Index(fields=["expires_at"], name="portal_ratecounter_expires")]

    def __str__(self) -> str:
        return f"{self.key} @ {self.window}: {self.hits}"


class PortalSettings(MarkdownRendered):
    """The texts that make the portal one board's own, edited in the admin (one row)."""

    board_name = models.CharField(
        max_length=200,
        help_text="The partnership or board that runs this portal, shown at the top of every page.",
    )
    logo_text = models.CharField(
        max_length=60,
        help_text="Short text shown as the site logo, for example the board's initials.",
    )
    introduction = MarkdownxField(
        blank=True,
        help_text="What a case review is, shown on the home page. Markdown.",
    )
    introduction_html = models.TextField(blank=True, editable=False)
    team_meetings_text = MarkdownxField(
        blank=True,
        help_text="The encouragement to discuss a case in team meetings, shown on every "
        "case summary between the analysis and the key learning. Markdown.",
    )
    team_meetings_text_html = models.TextField(blank=True, editable=False)
    accessibility_statement = MarkdownxField(
        blank=True,
        help_text="The accessibility statement UK public sector sites must publish, linked "
        "from every page's footer. Markdown.",
    )
    accessibility_statement_html = models.TextField(blank=True, editable=False)
    privacy_notice = MarkdownxField(
        blank=True,
        help_text="How the portal uses personal data (staff accounts, logs, cookies), linked "
        "from every page's footer. Markdown.",
    )
    privacy_notice_html = models.TextField(blank=True, editable=False)

    # The same texts for Welsh pages (/cy/). Left empty, a Welsh page shows the English,
    # marked as English for screen readers (templatetags/portal_i18n.py: portal_html).
    board_name_cy = models.CharField(
        "board name in Welsh",
        max_length=200,
        blank=True,
        help_text="Shown on Welsh pages. Leave empty if the board's name is not translated.",
    )
    introduction_cy = MarkdownxField(
        "introduction in Welsh", blank=True, help_text="The introduction for Welsh pages."
    )
    introduction_cy_html = models.TextField(blank=True, editable=False)
    team_meetings_text_cy = MarkdownxField(
        "team meetings text in Welsh", blank=True, help_text="The same encouragement in Welsh."
    )
    team_meetings_text_cy_html = models.TextField(blank=True, editable=False)
    accessibility_statement_cy = MarkdownxField(
        "accessibility statement in Welsh",
        blank=True,
        help_text="The accessibility statement for Welsh pages. Markdown.",
    )
    accessibility_statement_cy_html = models.TextField(blank=True, editable=False)
    privacy_notice_cy = MarkdownxField(
        "privacy notice in Welsh",
        blank=True,
        help_text="The privacy notice for Welsh pages. Markdown.",
    )
    privacy_notice_cy_html = models.TextField(blank=True, editable=False)

    class Meta:
        # Defined here with the other shared parts; its table, permissions and admin address
        # stay those of the reviews app that created it.
        app_label = "reviews"
        verbose_name = "portal settings"
        verbose_name_plural = "portal settings"
        constraints = [
            # One row only: the primary key is pinned to 1.
            models.CheckConstraint(condition=Q(pk=1), name="portal_settings_single_row"),
        ]

    def __str__(self) -> str:
        return self.board_name

    markdown_fields = (
        "introduction",
        "team_meetings_text",
        "accessibility_statement",
        "privacy_notice",
        "introduction_cy",
        "team_meetings_text_cy",
        "accessibility_statement_cy",
        "privacy_notice_cy",
    )

    def board_name_in(self, language: str) -> str:
        """The board's name on a page in `language`: its Welsh name where the board gave one."""
        return (getattr(self, f"board_name_{language}", "") if language != "en" else "") or (
            self.board_name
        )

    def html_in(self, field: str, language: str) -> tuple[str, str]:
        """The rendered text `field` ("introduction"...) for a page in `language`, and the
        language it is in: the Welsh where the board wrote it, else the English."""
        if language != "en" and (translated := getattr(self, f"{field}_{language}_html", "")):
            return translated, language
        return getattr(self, f"{field}_html"), "en"

    def save(self, *args, **kwargs) -> None:
        self.pk = 1
        super().save(*args, **kwargs)

    @classmethod
    def load(cls) -> "PortalSettings":
        settings, _ = cls.objects.get_or_create(
            pk=1,
            defaults={
                "board_name": "Safeguarding Children Partnership",
                "logo_text": "SCP",
            },
        )
        return settings
