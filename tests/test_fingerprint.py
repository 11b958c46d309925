"""accesscheck.fingerprint: one problem on one element keeps one id across scans."""

from __future__ import annotations

import re

from accesscheck.fingerprint import element_identity, fingerprint

PAGE = "https://www.example.gov/services/apply?step=2"
CHECK = "axe/image-alt"
SELECTOR = "main > div:nth-child(3) > img.hero"
SNIPPET = '<img class="hero wide" src="/media/family.jpg" style="width:100%">'


def fp(check=CHECK, page=PAGE, selector=SELECTOR, snippet=SNIPPET):
    return fingerprint(check, page, selector, snippet)


def test_stable_and_short_hex():
    assert fp() == fp()
    assert re.fullmatch(r"[0-9a-f]{20}", fp())


def test_same_after_class_rename_in_snippet():
    renamed = '<img class="banner-image" src="/media/family.jpg" style="width:100%">'
    assert fp(snippet=renamed) == fp()


def test_same_after_inline_style_change():
    assert fp(snippet='<img class="hero wide" src="/media/family.jpg" style="width:50%">') == fp()


def test_same_when_selector_gains_or_loses_nth_child():
    assert fp(selector="main > div > img.hero") == fp()
    assert fp(selector="main > div:nth-child(5) > img.hero") == fp()


def test_selector_only_ignores_nth_child_and_classes():
    base = fingerprint(CHECK, PAGE, "main > div:nth-child(3) > img.hero", None)
    assert fingerprint(CHECK, PAGE, "main > div > img.hero", None) == base
    assert fingerprint(CHECK, PAGE, "main > div:nth-of-type(2) > img.banner", None) == base
    assert fingerprint(CHECK, PAGE, "footer > img", None) != base


def test_attribute_order_and_quotes_do_not_matter():
    a = '<input type="text" name="postcode" class="x">'
    b = "<input class='y' name=postcode type=text>"
    assert fingerprint("axe/label", PAGE, "#f1", a) == fingerprint("axe/label", PAGE, "#f2", b)


def test_different_src_href_or_name_is_a_different_element():
    assert fp(snippet='<img class="hero" src="/media/other.jpg">') != fp()
    link_a = fingerprint("axe/link-name", PAGE, "a", '<a href="/apply"><img src="/i.png"></a>')
    link_b = fingerprint("axe/link-name", PAGE, "a", '<a href="/renew"><img src="/i.png"></a>')
    assert link_a != link_b
    field_a = fingerprint("axe/label", PAGE, "input", '<input name="first">')
    field_b = fingerprint("axe/label", PAGE, "input", '<input name="last">')
    assert field_a != field_b


def test_different_text_is_a_different_element():
    a = fingerprint("axe/color-contrast", PAGE, "p", '<p class="muted">Opening hours</p>')
    b = fingerprint("axe/color-contrast", PAGE, "p", '<p class="muted">Closed on Sundays</p>')
    assert a != b


def test_different_check_is_a_different_finding():
    assert fp(check="axe/color-contrast") != fp()


def test_different_page_path_or_query():
    assert fp(page="https://www.example.gov/services/renew?step=2") != fp()
    assert fp(page="https://www.example.gov/services/apply?step=3") != fp()
    assert fp(page="https://www.example.gov/services/apply") != fp()


def test_same_across_hosts_schemes_and_trailing_slash():
    staging = fp(page="http://staging.example.gov:8080/services/apply?step=2")
    assert staging == fp()
    assert fp(page="https://www.example.gov/services/apply/?step=2") == fp()


def test_root_page_with_and_without_slash():
    assert fp(page="https://example.gov") == fp(page="https://example.gov/")


def test_fragment_does_not_matter():
    assert fp(page=PAGE + "#main") == fp()


def test_element_identity_keeps_names_drops_churn():
    identity = element_identity("div.a > button:nth-child(2)",
                                '<button class="btn btn-primary" type="submit" aria-label="Send form">Send</button>')
    assert identity == "button|type=submit|aria-label=Send form|Send"
    assert "btn" not in identity


def test_element_identity_falls_back_to_selector_without_snippet():
    assert element_identity("#nav > li:nth-child(4) > a.active", None) == "#nav > li > a"
    assert element_identity(None, None) == ""
