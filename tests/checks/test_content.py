"""The content and markup checks on hand-built snapshots: no browser. The fixture pages in
tests/sites/content are checked through the real scan in test_content_fixtures.py."""

from __future__ import annotations

from accesscheck.checks.content import page_content, page_parsing
from accesscheck.detect.dom import parse
from accesscheck.detect.markup.accname import name_of
from accesscheck.model import PageSnapshot

ORIGIN = "http://127.0.0.1:9"


def snap(body: str, *, lang: str = "en", source: str | None = None, styles: dict | None = None) -> PageSnapshot:
    html = f'<html lang="{lang}"><head><title>t</title></head><body><main>{body}</main></body></html>'
    return PageSnapshot(url=ORIGIN + "/", final_url=ORIGIN + "/", status=200, html=html, lang=lang,
                        source=source, text_styles=styles)


def found(s: PageSnapshot) -> list[tuple[str, str]]:
    return sorted((f.check, f.outcome) for f in page_content(s).findings)


def test_accessible_name_follows_labelledby_label_alt_and_hidden_text():
    root = parse('<p id="x">Council tax</p><a id="a" aria-labelledby="x" href="/">More</a>'
                 '<a id="b" href="/"><img alt="Bins"> <span hidden>secret</span></a>'
                 '<a id="c" href="/" title="Parking">  </a>')
    assert [name_of(root.get_element_by_id(i), root) for i in "abc"] == ["Council tax", "Bins", "Parking"]


def test_generic_link_text_in_every_language_file():
    assert found(snap('<h1>x</h1><div><a href="/a">Lire la suite</a></div><div><a href="/b">Lire la suite</a></div>',
                      lang="fr")) == [("content/link-text-generic", "fail")] * 2
    for lang, text in [("de", "Weiterlesen"), ("es", "Leer más"), ("pt", "Saiba mais"), ("it", "Leggi di più"),
                       ("nl", "Lees meer"), ("cy", "Darllen mwy"), ("en", "Click here")]:
        assert found(snap(f'<div><a href="/a">{text}</a></div>', lang=lang)) == [("content/link-text-generic", "fail")], lang


def test_generic_link_with_context_is_review_and_a_named_one_is_nothing():
    assert found(snap('<p>To pay your council tax, <a href="/pay">click here</a>.</p>')) == \
        [("content/link-text-generic", "review")]
    assert found(snap('<h2>Council tax</h2><a href="/pay">Read more</a>')) == [("content/link-text-generic", "review")]
    assert found(snap('<a href="/pay">Read more<span class="sr-only"> about council tax</span></a>')) == []


def test_new_window_warning_in_name_title_or_next_to_the_link():
    assert found(snap('<p><a href="/m" target="_blank">Map</a></p>')) == [("content/new-window-unannounced", "review")]
    assert found(snap('<p><a href="/m" target="_blank">Map</a> (opens in a new tab)</p>')) == []
    assert found(snap('<p><a href="/m" target="_blank" title="Map, opens in a new window">Map</a></p>')) == []
    assert found(snap('<p><a href="/m" target="_self">Map</a></p>')) == []


def test_same_text_for_different_places_unless_each_has_its_context():
    assert found(snap('<div><a href="/a">Apply</a> <a href="/b">Apply</a></div>')) == [("content/link-text-ambiguous", "review")]
    assert found(snap('<div><a href="/a">Apply</a> <a href="/a#top">Apply</a></div>')) == []
    assert found(snap('<table><tr><th>Form</th></tr><tr><td>Parking <a href="/a">Download</a></td></tr>'
                      '<tr><td>Bins <a href="/b">Download</a></td></tr></table>')) == []


def test_alt_text_that_is_not_an_alternative():
    assert found(snap('<img src="/x/DSC0042.JPG" alt="DSC0042.JPG">')) == [("content/alt-file-name", "fail")]
    assert found(snap('<img src="/x/a.png" alt="Photo">')) == [("content/alt-placeholder", "fail")]
    assert found(snap('<img src="/x/a.png" alt="Bild">', lang="de")) == [("content/alt-placeholder", "fail")]
    assert found(snap('<img src="/x/a.png" alt="image" role="presentation">')) == []
    assert found(snap('<img src="/x/a.png" alt="">')) == []
    assert found(snap('<a href="/b"><img src="/i.png" alt="Bin days"> Bin days</a>')) == [("content/alt-redundant", "review")]


def test_images_of_text_but_not_logos_or_svg():
    assert found(snap('<img src="/apply-now-button.png" alt="Apply now">')) == [("content/image-of-text", "review")]
    assert found(snap('<img src="/council-logo-text.png" alt="Northvale Council">')) == []
    assert found(snap('<img src="/heading.svg" alt="Apply now">')) == []
    assert found(snap('<img src="/mill-lane.jpg" alt="Mill Lane recycling centre">')) == []


def test_fake_headings_from_the_measured_styles():
    styles = {"base_size_px": 16, "labels": [], "text_blocks": [
        {"selector": "#a", "tag": "div", "text": "Discounts", "size_px": 24, "weight": 400, "next_tag": "p", "next_is_heading": False},
        {"selector": "#b", "tag": "p", "text": "Who can apply", "size_px": 16, "weight": 700, "next_tag": "p", "next_is_heading": False},
        {"selector": "#c", "tag": "p", "text": "Payments are due monthly.", "size_px": 16, "weight": 700, "next_tag": "p", "next_is_heading": False},
        {"selector": "#d", "tag": "td", "text": "Band A", "size_px": 16, "weight": 700, "next_tag": "td", "next_is_heading": False},
        {"selector": "#e", "tag": "p", "text": "Small print", "size_px": 13, "weight": 700, "next_tag": "p", "next_is_heading": False}]}
    findings = page_content(snap("<p>x</p>", styles=styles)).findings
    assert [(f.check, f.selector) for f in findings] == [("content/fake-heading", "#a"), ("content/fake-heading", "#b")]


def test_layout_tables_and_presentational_markup():
    layout = '<table><tr><td><h2>A</h2><p>x</p></td><td><p>y</p></td></tr></table>'
    assert found(snap(layout)) == [("content/layout-table", "review")]
    assert found(snap(layout.replace("<table>", '<table role="presentation">'))) == []
    assert found(snap('<table><tr><th>A</th></tr><tr><td><p>1</p><p>2</p><p>3</p></td></tr></table>')) == []
    assert found(snap('<font color="red">Closed</font> <font>again</font><center>x</center>')) == \
        [("content/presentational-markup", "review")] * 2


def test_labels_asterisks_and_colour():
    assert found(snap('<input placeholder="Postcode">')) == [("content/label-placeholder-only", "review")]
    assert found(snap('<input title="Postcode">')) == [("content/label-title-only", "review")]
    assert found(snap('<label for="p">Postcode</label><input id="p" placeholder="NV1">')) == []
    assert found(snap('<label>Name * <input></label>')) == [("content/required-asterisk-unexplained", "review")]
    assert found(snap('<p>* required</p><label>Name * <input></label>')) == []
    assert found(snap('<p>Les champs marqués * sont obligatoires.</p><label>Nom * <input></label>', lang="fr")) == []
    labels = [{"selector": "#a", "label": "Name", "color": "rgb(200, 0, 0)", "form": "form", "required": True},
              {"selector": "#b", "label": "Phone", "color": "rgb(0, 0, 0)", "form": "form", "required": False}]
    assert found(snap("<p>x</p>", styles={"base_size_px": 16, "text_blocks": [], "labels": labels})) == \
        [("content/required-colour-only", "review")]
    labels[0]["label"] = "Name (required)"
    assert found(snap("<p>x</p>", styles={"base_size_px": 16, "text_blocks": [], "labels": labels})) == []


def test_sensory_instructions():
    assert found(snap("<p>Press the green button to pay.</p>")) == [("content/sensory-instructions", "review")]
    assert found(snap("<p>Use the links in the left-hand column.</p>")) == [("content/sensory-instructions", "review")]
    assert found(snap("<p>Klicken Sie auf den grünen Button.</p>", lang="de")) == [("content/sensory-instructions", "review")]
    assert found(snap("<p>The office is on the left after the station.</p>")) == []
    assert found(snap("<p>Every page has a link at the top to skip to the content.</p>")) == []


def test_parse_errors_from_the_source_and_duplicate_ids_that_matter():
    source = "<!DOCTYPE html><html><body><div><span>x</div><p class=a class=b>y</p></body></html>"
    codes = sorted((f.check, (f.snippet or "").split(":")[0]) for f in page_parsing(snap("<p>x</p>", source=source)).findings)
    assert codes == [("content/parse-error", "duplicate-attribute"), ("content/parse-error", "end-tag-too-early")]
    assert page_parsing(snap("<p>x</p>", source="<!DOCTYPE html><p>a<p>b<ul><li>c<li>d</ul>")).findings == []
    assert page_parsing(snap("<p>x</p>", source="<html><p>no doctype</p></html>")).findings == []
    dup = '<label for="e">Email</label><input id="e"><input id="e">'
    assert [f.check for f in page_parsing(snap(dup)).findings] == ["content/duplicate-id"]
    assert page_parsing(snap('<div id="d">a</div><div id="d">b</div>')).findings == []  # no one relies on it


def test_fingerprints_are_stable_and_distinct():
    s = snap('<div><a href="/a">More</a></div><div><a href="/b">More</a></div>')
    first, second = page_content(s).findings, page_content(s).findings
    assert [f.fingerprint for f in first] == [f.fingerprint for f in second]
    assert len({f.fingerprint for f in first}) == len(first) == 2
