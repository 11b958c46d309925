"""The accuracy targets of issue 13 on the labelled set: phones P >= 0.95 and R >= 0.90, statement
elements (pooled) P >= 0.95 and R >= 0.90, postal address R >= 0.80, office P >= 0.90, and no
signal below 0.85 precision. Asserted on the tuned pages; the figures for all pages and for the
40 pages set aside are printed (-s) and not asserted: the set-aside pages were scored once, after
the detectors were final, and the README quotes that first run."""

from accuracy import measure, pages, report, shortfalls

from accesscheck.detect.country import infer_country


def test_tuned_pages_meet_the_targets():
    tallies, mistakes = measure("tuned")
    print("\ntuned pages\n" + report(tallies))
    assert sum(t.tp + t.fn for t in tallies.values()) > 200  # the set is not empty or unread
    assert shortfalls(tallies) == [], mistakes


def test_the_set_is_large_and_wide_and_the_set_aside_figures_are_printed():
    every = pages("all")
    countries = {infer_country(p["url"], p["country"]).code for p in every.values()}
    assert len(every) >= 120 and len(pages("setaside")) == 40
    assert len(countries) >= 12, countries
    for which in ("all", "setaside"):
        tallies, mistakes = measure(which)
        print(f"\n{which} pages\n{report(tallies)}\ntargets missed: {'; '.join(shortfalls(tallies)) or 'none'}")
        assert sum(t.tp + t.fn for t in tallies.values()) > 100
