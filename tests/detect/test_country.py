"""detect/country.py: the country a page speaks for, and where the guess comes from."""

from __future__ import annotations

from accesscheck.detect.country import infer_country


def test_country_comes_from_the_portal_then_the_host_then_the_language():
    assert infer_country("https://www.irs.gov/x", "CA", "en").to_dict() == {"code": "CA", "source": "portal", "regions": ["CA"]}
    assert infer_country("https://www.service-public.fr/x", "", "en").code == "FR"
    assert infer_country("https://www.gov.uk/x", "", None).source == "host .uk"
    assert infer_country("https://www.canada.ca/fr/x", "", "fr-CA").regions == ("CA",)
    assert infer_country("https://www.irs.gov/x", "", "en-US").code == "US"
    assert infer_country("https://amgueddfa.cymru/x", "", "cy").code == "GB"
    assert infer_country("http://127.0.0.1/x", "", "fr-BE").regions == ("BE",)
    assert infer_country("https://www.admin.ch/x", "", "de-DE").regions == ("CH", "DE")
    assert infer_country("https://example.eu/x", "", "de").to_dict() == {"code": "DE", "source": "language de", "regions": ["DE"]}
    assert infer_country("http://127.0.0.1/x", "", None).source == "default"
