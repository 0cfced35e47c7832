"""The portal's own pages: the health check, the board's statutory pages and error pages."""

from django.db import connection
from django.db.utils import DatabaseError
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.generic import TemplateView


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """200 when this process can reach the database, 503 when it cannot (for load balancers)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "unavailable", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


class BoardPageView(TemplateView):
    """A page whose text the board writes in the admin (Portal settings)."""

    page = ""

    def get_template_names(self) -> list[str]:
        return [f"portal/{self.page}.html"]


accessibility_statement = BoardPageView.as_view(page="accessibility")
privacy_notice = BoardPageView.as_view(page="privacy")
