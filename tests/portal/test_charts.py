"""Server-drawn SVG charts (portal/charts.py): accessible, escaped, CSP-clean, printable."""

import xml.etree.ElementTree as ET

from portal.charts import (
    BRAG_SERIES,
    Row,
    chart_table,
    column_chart,
    nice_step,
    stacked_bar_chart,
    swatch,
)

SVG = "{http://www.w3.org/2000/svg}"


def parse(markup: str) -> ET.Element:
    return ET.fromstring(markup)  # noqa: S314 - markup these tests just made, not a stranger's


def stacked(rows, **kwargs):
    return stacked_bar_chart(
        chart_id="brag",
        title=kwargs.get("title", "Actions by agency"),
        description="Figures also in the table.",
        series=BRAG_SERIES,
        rows=rows,
    )


def test_a_stacked_chart_is_an_image_with_a_title_and_description_that_name_it():
    svg = parse(str(stacked([Row("Police", (1, 2, 3, 4))])))
    assert svg.get("role") == "img"
    assert svg.get("aria-labelledby") == "brag-title brag-desc"
    assert svg.find(f"{SVG}title").text == "Actions by agency"
    assert svg.find(f"{SVG}desc").text == "Figures also in the table."


def test_every_label_is_escaped_so_a_typed_name_cannot_become_markup():
    hostile = '<script>alert(1)</script> & "Police"'
    markup = str(stacked([Row(hostile, (1, 0, 0, 0))], title="<b>x</b>"))
    assert "<script>" not in markup and "<b>" not in markup
    assert "&lt;script&gt;" in markup and "&lt;b&gt;" in markup
    parse(markup)  # still well-formed XML


def test_the_chart_has_no_style_attributes_the_content_security_policy_would_refuse():
    markup = str(stacked([Row("Police", (3, 2, 1, 4))]))
    markup += str(column_chart(chart_id="m", title="t", description="d", points=[Row("Jan", (3,))]))
    assert "style=" not in markup
    assert "<script" not in markup


def test_each_series_has_its_own_pattern_so_it_prints_apart_in_greyscale():
    svg = parse(str(stacked([Row("Police", (3, 2, 1, 4))])))
    legend = next(g for g in svg.iter(f"{SVG}g") if g.get("class") == "chart__legend")
    drawn = [child.tag.removeprefix(SVG) for child in legend]
    # blue: a plain box; red: bars drawn over it; amber: dots; green: stripes.
    assert drawn == [
        "rect",
        "text",
        "rect",
        "path",
        "text",
        "rect",
        "path",
        "text",
        "rect",
        "path",
        "text",
    ]
    paths = [child.get("d") for child in legend if child.tag == f"{SVG}path"]
    assert "v" in paths[0] and "h" not in paths[0]  # vertical bars for red
    assert "h3v3h-3z" in paths[1]  # small squares for amber
    assert "h" in paths[2] and "v" not in paths[2]  # horizontal bars for green


def test_a_swatch_shows_a_series_pattern_outside_the_chart_and_is_hidden_from_screen_readers():
    markup = str(swatch(BRAG_SERIES[2]))
    assert 'aria-hidden="true"' in markup and "h3v3h-3z" in markup and "style=" not in markup


def test_counts_are_written_as_text_and_bars_share_one_scale():
    markup = str(stacked([Row("Police", (10, 0, 0, 0)), Row("GP", (5, 0, 0, 0))]))
    svg = parse(markup)
    texts = [text.text for text in svg.iter(f"{SVG}text")]
    assert "10" in texts and "5" in texts
    bars = [g for g in svg.iter(f"{SVG}g") if g.get("class") == "chart__bar"]
    widths = [float(bar.find(f"{SVG}rect").get("width")) for bar in bars]
    assert widths[0] > widths[1] * 1.8


def test_an_empty_chart_says_there_is_nothing_to_show():
    assert "Nothing to show" in str(stacked([]))


def test_a_column_chart_has_every_point_and_its_value():
    points = [Row("Jan 2026", (4,)), Row("Feb 2026", (0,)), Row("Mar 2026", (12,))]
    svg = parse(str(column_chart(chart_id="m", title="Per month", description="d", points=points)))
    titles = [title.text for title in svg.iter(f"{SVG}title")]
    assert titles[1:] == ["Jan 2026: 4", "Feb 2026: 0", "Mar 2026: 12"]


def test_gridline_steps_are_round_numbers():
    assert [nice_step(n) for n in (3, 10, 37, 120, 980)] == [1, 5, 10, 50, 500]


def test_the_table_holds_the_same_figures_as_the_chart_with_totals():
    table = chart_table(
        caption="c",
        row_heading="Agency",
        series=BRAG_SERIES,
        rows=[Row("Police", (1, 2, 3, 4)), Row("GP", (0, 1, 0, 0))],
    )
    assert table.columns == tuple(one.label for one in BRAG_SERIES)
    assert table.rows == (("Police", (1, 2, 3, 4), 10), ("GP", (0, 1, 0, 0), 1))
    assert table.totals == (1, 3, 3, 4)
    assert table.grand_total == 11
