"""Every public page type in Chromium, in English and in Welsh (/cy/): no axe-core
violations at WCAG 2.2 AA at 1280 and 320 px wide, usable at 320 px wide and by keyboard
alone, and HTML the Nu Html Checker accepts."""

import json
import shutil
import subprocess

import pytest

from tests.browser.conftest import AXE, VNU
from tests.portal.pages import PAGE_TYPES, make_gone_review, make_public_content, page_url

pytestmark = [
    pytest.mark.browser,
    # One worker runs every browser test, so only one starts Chromium (scripts/test.sh).
    pytest.mark.xdist_group("browser"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

ENGLISH_ERROR_PAGES = [
    ("not found", "/reviews/no-such-review/", 404),
    ("gone", "/reviews/child-w/", 410),
]
ERROR_PAGES = ENGLISH_ERROR_PAGES + [
    (f"{name} cy", "/cy" + path, status) for name, path, status in ENGLISH_ERROR_PAGES
]
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
LANGUAGES = ["en", "cy"]
WIDTHS = [1280, 320]


def in_language(path: str, language: str) -> str:
    """The Welsh page is the English one under /cy/ (docs/welsh.md)."""
    return path if language == "en" else f"/{language}{path}"


def all_pages(languages: list[str] = LANGUAGES) -> list:
    return [
        pytest.param(names, needs, language, id=f"{page_type} {language}")
        for page_type, names, needs in PAGE_TYPES
        for language in languages
    ]


def content_and_url(live_server, names, needs, language: str = "en") -> str:
    make_public_content()
    return live_server.url + in_language(page_url(names, needs), language)


def axe_violations(page) -> list[dict]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS
    )
    return [
        {
            "id": violation["id"],
            "help": violation["help"],
            "nodes": [node["target"] for node in violation["nodes"]][:5],
        }
        for violation in result["violations"]
    ]


@pytest.mark.axe
@pytest.mark.parametrize("width", WIDTHS, ids=[f"{width}px" for width in WIDTHS])
@pytest.mark.parametrize(("names", "needs", "language"), all_pages())
def test_page_has_no_axe_violations_at_wcag_2_2_aa(
    live_server, axe_page, names, needs, language, width
):
    url = content_and_url(live_server, names, needs, language)
    axe_page.set_viewport_size({"width": width, "height": 720})
    response = axe_page.goto(url)
    assert response.status == 200

    assert axe_violations(axe_page) == []


@pytest.mark.axe
@pytest.mark.parametrize(("name", "path", "status"), ERROR_PAGES, ids=[p[0] for p in ERROR_PAGES])
def test_error_pages_have_no_axe_violations(live_server, axe_page, name, path, status):
    make_gone_review()
    response = axe_page.goto(live_server.url + path)
    assert response.status == status

    assert axe_violations(axe_page) == []


@pytest.mark.parametrize(("names", "needs", "language"), all_pages())
def test_page_fits_a_320_pixel_wide_screen_without_sideways_scrolling(
    live_server, page, names, needs, language
):
    url = content_and_url(live_server, names, needs, language)
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(url)

    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"{overflow}px wider than the screen"
    # The stylesheet loaded (CSP allows it): the header has its dark background.
    background = page.eval_on_selector(".site-header", "e => getComputedStyle(e).backgroundColor")
    assert background != "rgba(0, 0, 0, 0)"


@pytest.mark.parametrize(("names", "needs", "language"), all_pages(["en"]))
def test_page_works_by_keyboard_alone(live_server, page, names, needs, language):
    # The Welsh pages have the same links and controls; English alone keeps this test short.
    url = content_and_url(live_server, names, needs, language)
    page.goto(url)
    interactive = page.eval_on_selector_all(
        "a[href], button:not([disabled]), input:not([type=hidden]), select, textarea, summary",
        # A group of radio buttons is one tab stop; arrow keys move within it.
        """els => new Set(els
            .filter(e => e.checkVisibility())
            .map((e, i) => e.type === 'radio' ? 'radio:' + e.name : i)).size""",
    )

    # The first Tab reaches the skip link, and Enter moves focus to the main content.
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.className") == "skip-link"
    assert page.evaluate("() => document.activeElement.getBoundingClientRect().top") >= 0
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "main"

    # Tab visits every link and control, each one visibly focused, with no trap.
    page.goto(url)
    seen = set()
    for _ in range(interactive + 5):
        page.keyboard.press("Tab")
        state = page.evaluate(
            """() => {
              const e = document.activeElement;
              if (!e || e === document.body) return null;
              const style = getComputedStyle(e);
              const box = e.getBoundingClientRect();
              return {key: e.outerHTML.slice(0, 200) + box.top + box.left,
                      visible: box.width > 0 && box.height > 0,
                      marked: style.outlineStyle !== 'none' || style.boxShadow !== 'none'
                              || style.backgroundColor !== 'rgba(0, 0, 0, 0)'};
            }"""
        )
        if state is None:
            break
        assert state["visible"], state["key"]
        assert state["marked"], f"no visible focus on {state['key']}"
        seen.add(state["key"])
    assert len(seen) >= interactive - 1


@pytest.mark.vnu
def test_html_of_every_page_type_passes_the_nu_html_checker(live_server, page, tmp_path):
    make_public_content()
    make_gone_review()
    files, missing = [], []
    pages = [(page_type, names, needs) for page_type, names, needs in PAGE_TYPES]
    for page_type, names, needs in pages:
        try:
            path = page_url(names, needs)
        except pytest.skip.Exception:
            missing.append(page_type)
            continue
        for language in LANGUAGES:
            files.append((f"{page_type} {language}", in_language(path, language)))
    files += [(name, path) for name, path, _ in ERROR_PAGES]
    documents = []
    for page_type, path in files:
        response = page.request.get(live_server.url + path)
        document = tmp_path / f"{page_type.replace(' ', '-')}.html"
        document.write_bytes(response.body())
        documents.append(str(document))

    checked = subprocess.run(  # noqa: S603 - fixed command, our own files
        [shutil.which("java"), "-jar", str(VNU), "--errors-only", "--format", "json", *documents],
        capture_output=True,
        text=True,
    )
    messages = json.loads(checked.stderr or checked.stdout or '{"messages": []}')["messages"]
    problems = [
        f"{m['url'].rsplit('/', 1)[-1]}:{m.get('lastLine')}: {m['message']}" for m in messages
    ]
    assert problems == [], "\n".join(problems)
    print(f"checked {len(documents)} pages; not there yet: {', '.join(missing) or 'none'}")
