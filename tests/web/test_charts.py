"""Server-side SVG charts: accessible, escaped, and faithful to the numbers."""

import re

from tracker.charts import Series, bar_chart, meter, stacked_bar_chart


def test_bar_chart_has_title_description_and_every_value():
    svg = bar_chart(
        title="Robots <added>",
        categories=["2018", "2019"],
        series=[Series("robots", [509, 638])],
    )
    assert svg.startswith("<svg") and 'role="img"' in svg
    assert "<title id=" in svg and "Robots &lt;added&gt;" in svg
    desc = re.search(r"<desc[^>]*>(.*?)</desc>", svg).group(1)
    assert "2018: 509" in desc and "2019: 638" in desc
    widths = [float(w) for w in re.findall(r'<rect x="[^"]+" y="[^"]+" width="([^"]+)"', svg)]
    assert widths[1] > widths[0]  # 638 draws longer than 509


def test_negative_values_run_left_of_the_zero_line():
    svg = bar_chart(
        title="t", categories=["up", "down"], series=[Series("pct", [20, -10])], unit="%"
    )
    zero = float(re.search(r'<line class="axis" x1="([^"]+)"', svg).group(1))
    xs = [float(x) for x in re.findall(r'<rect x="([^"]+)"', svg)]
    assert xs[0] == zero and xs[1] < zero
    assert "-10%" in svg


def test_labels_are_escaped():
    svg = bar_chart(title="t", categories=["<script>"], series=[Series("s", [1])])
    assert "<script>" not in svg and "&lt;script&gt;" in svg


def test_stacked_chart_and_legend():
    html = stacked_bar_chart(
        title="grades",
        categories=["义乌市"],
        series=[Series("A", [3], "#000"), Series("B", [5], "#111")],
    )
    assert "义乌市: A 3, B 5" in html
    assert '<ul class="chart-legend">' in html
    assert ">8</text>" in html  # the row total


def test_meter_clamps_to_its_range():
    assert 'width="100.0"' in meter(fraction=3.5, mark=0.5)
    assert 'width="0.0"' in meter(fraction=-1)


def test_every_chart_carries_its_figures_as_a_table_with_the_unit():
    html = bar_chart(
        title="投资",
        categories=["<b>甲</b>", "乙"],
        series=[Series("计划", [1.5, None]), Series("实际", [0.25, 2])],
        places=2,
        unit_label="亿元",
    )
    table = html.split('<details class="chart-data">')[1]
    assert "<caption>投资" in table and "亿元" in table
    assert "&lt;b&gt;甲&lt;/b&gt;" in table and "<b>" not in table
    assert re.findall(r'<td class="num">([^<]*)</td>', table) == ["1.50", "0.25", "–", "2.00"]
    stacked = stacked_bar_chart(
        title="等级", categories=["永康市"], series=[Series("A", [3]), Series("B", [4])]
    )
    assert '<th scope="row">永康市</th><td class="num">3</td><td class="num">4</td>' in stacked
