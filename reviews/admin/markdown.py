from markdownx.models import MarkdownxField
from markdownx.widgets import AdminMarkdownxWidget


class MarkdownPreviewMixin:
    """Every Markdown field in the admin gets markdownx's live preview.

    The admin otherwise maps every TextField, MarkdownxField included, to a plain textarea.
    """

    formfield_overrides = {MarkdownxField: {"widget": AdminMarkdownxWidget}}
