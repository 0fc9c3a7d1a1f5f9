"""Every data file the readers use, loaded and indexed at once: a server calls `preload` as it
starts, so the first question after a start is answered as fast as any other (the places and
the gazetteer alone take about a third of a second to index)."""

from __future__ import annotations

from knowledge.criteria import bundled_sheets, product_sets
from knowledge.faq import read_question
from knowledge.place_query import understand
from knowledge.regions import read_province

_HANOI = (21.0285, 105.8542)


def preload() -> None:
    """Ask each reader once: what it indexes on first use is built now."""
    understand("làng nghề gần Hội An")
    understand("điểm OCOP gần tôi", _HANOI)
    read_question("OCOP là gì")
    read_province("Nghe Ann")  # a typo: the communes and former districts it is checked against
    product_sets()
    bundled_sheets()
