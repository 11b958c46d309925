"""detect/phones.py: numbers in the markup, their country and their cost."""

from __future__ import annotations

from accesscheck.detect.dom import parse
from accesscheck.detect.phones import find_phones


def test_toll_free_is_noted_and_schema_org_telephone_is_read():
    root = parse('<script type="application/ld+json">{"@type": "GovernmentOffice", "telephone": "0808 157 0123"}</script>')
    (phone,) = find_phones(root, ("GB",))
    assert phone["toll_free"] and phone["e164"] == "+448081570123" and phone["source"] == "schema.org"


def test_a_label_belongs_to_the_number_after_it_only():
    root = parse("<p>Fax 020 7946 0100, Telefon 020 7946 0123</p><p>Phone 020 7946 0124 or fax 020 7946 0125</p>")
    assert {p["e164"] for p in find_phones(root, ("GB",), "en")} == {"+442079460123", "+442079460124"}
