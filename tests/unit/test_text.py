from mapreport.present.sanitise import markdown_to_html, plain, sanitise_html


def test_keeps_paragraphs_lists_and_emphasis() -> None:
    fragment = "<p>One <em>two</em></p><ul><li>three</li></ul>"
    assert sanitise_html(fragment) == fragment


def test_drops_script_elements_with_their_content() -> None:
    assert sanitise_html("<p>ok<script>alert(1)</script></p>") == "<p>ok</p>"


def test_drops_event_handler_attributes() -> None:
    assert sanitise_html('<p onclick="steal()">x</p>') == "<p>x</p>"


def test_drops_javascript_links_but_keeps_https() -> None:
    cleaned = sanitise_html('<a href="javascript:alert(1)">a</a><a href="https://www.london.gov.uk/">b</a>')
    assert "javascript" not in cleaned
    assert 'href="https://www.london.gov.uk/"' in cleaned


def test_drops_iframes_and_style_attributes() -> None:
    assert (
        sanitise_html('<ul style="list-style-type: none"><li>x</li></ul><iframe src="x"></iframe>')
        == "<ul><li>x</li></ul>"
    )


def test_a_list_without_items_keeps_its_content_unlisted() -> None:
    fragment = '<p>Meetings:</p> <ul style="list-style-type: none"> Public Review <ul>Board</ul> <p>More.</p></ul>'
    assert sanitise_html(fragment) == "<p>Meetings:</p>  Public Review Board <p>More.</p>"


def test_a_list_with_items_is_kept() -> None:
    assert sanitise_html("<ol><li>a<ul><li>b</li></ul></li></ol>") == "<ol><li>a<ul><li>b</li></ul></li></ol>"


def test_markdown_is_rendered_then_sanitised_and_a_tag_not_allowed_is_shown_as_text() -> None:
    assert (
        markdown_to_html("Some *emphasis* <img src=x onerror=alert(1)>")
        == "<p>Some <em>emphasis</em> &lt;img src=x onerror=alert(1)&gt;</p>"
    )


def test_angle_brackets_that_are_not_a_tag_are_kept_as_text() -> None:
    assert markdown_to_html("The <Stop and Search Charter> was published on <1 June>.") == (
        "<p>The &lt;Stop and Search Charter&gt; was published on &lt;1 June&gt;.</p>"
    )


def test_an_allowed_tag_with_words_inside_is_text_not_a_tag() -> None:
    assert markdown_to_html("<b and c> <b>bold</b>") == "<p>&lt;b and c&gt; <b>bold</b></p>"


def test_numbered_lines_keep_their_numbers_and_are_not_made_a_list() -> None:
    html = markdown_to_html("2021. First\n2022. Second\n\n1. one\n3) three")
    assert "<ol" not in html and "<li" not in html
    assert "2021. First" in html and "2022. Second" in html and "1. one" in html and "3) three" in html
    assert html.startswith("<p>2021. First\n<br>2022. Second</p>"), html  # each on its own line


def test_entities_and_reference_lines_are_shown_as_written() -> None:
    assert markdown_to_html("[1]: note &amp; more") == "<p>[1]: note &amp;amp; more</p>"


def test_plain_escapes_markup() -> None:
    assert plain('<b>"x"</b>') == "&lt;b&gt;&quot;x&quot;&lt;/b&gt;"
