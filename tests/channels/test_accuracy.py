"""The accuracy targets of issue 4 on the labelled set: >= 0.95 precision and >= 0.90 recall on
phone, postal address, statement link and each statement element. Prints the figures (-s)."""

from accuracy import SIGNALS, measure, report


def test_labelled_set_meets_the_targets():
    tallies, mistakes = measure()
    print("\n" + report(tallies))
    assert sum(t.tp + t.fn for t in tallies.values()) > 100  # the set is not empty or unread
    for signal in SIGNALS:
        assert tallies[signal].precision >= 0.95, (signal, mistakes)
        assert tallies[signal].recall >= 0.90, (signal, mistakes)
