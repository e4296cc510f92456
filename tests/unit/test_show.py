import pandas as pd

from mapreport.present import charts, show


def test_a_table_has_a_caption_and_header_cells_and_escapes_text() -> None:
    html = show.table_html(pd.DataFrame({"Name": ["<b>x</b>"], "Count": [1200]}), "Caption & more")
    assert "<caption>Caption &amp; more</caption>" in html
    assert '<th scope="col">Name</th>' in html
    assert "&lt;b&gt;x&lt;/b&gt;" in html and "<td>1,200</td>" in html


def test_rich_columns_are_sanitised_markup() -> None:
    html = show.table_html(pd.DataFrame({"Update": ["<p>ok<script>bad()</script></p>"]}), "c", rich_columns=("Update",))
    assert '<td class="source-text"><p>ok&lt;script&gt;bad()&lt;/script&gt;</p></td>' in html  # text, never run


def test_an_empty_table_says_so() -> None:
    assert "No entries." in show.table_html(pd.DataFrame(columns=["A", "B"]), "c")


def test_a_chart_carries_its_alt_text_and_data_table() -> None:
    data = pd.DataFrame({"Group": ["A", "B"], "Value": [1, 2]})
    chart = charts.bar_chart(data, x="Group", y="Value", title="T", alt="Bar chart of value: A 1, B 2.")
    html = show.chart(chart).data
    assert 'alt="Bar chart of value: A 1, B 2."' in html
    assert "Data for the chart: T" in html and "<td>B</td>" in html
    assert chart.png.startswith(b"\x89PNG")


def test_the_same_chart_drawn_twice_gives_the_same_bytes() -> None:
    data = pd.DataFrame({"Group": ["A", "B"], "Value": [1, 2]})
    first = charts.bar_chart(data, x="Group", y="Value", title="T", alt="a")
    second = charts.bar_chart(data, x="Group", y="Value", title="T", alt="a")
    assert first.png == second.png
