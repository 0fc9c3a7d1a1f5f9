"""Every data file the readers use, loaded and indexed at once: a server calls `preload` as it
starts, so the first question after a start is answered as fast as any other (the places and
the gazetteer alone take about a third of a second to index; the tables of typed commands,
small talk and consent words, tens of milliseconds more on the first message that reads them).
"""

from __future__ import annotations

from datetime import UTC, datetime

from knowledge.consent_words import read_consent
from knowledge.criteria import bundled_sheets, named_sets, product_sets
from knowledge.faq import read_question
from knowledge.faq_parts import first_reply
from knowledge.gazetteer import names_a_place
from knowledge.language import written_in
from knowledge.officer_request import asks_for_officer
from knowledge.place_query import understand
from knowledge.regions import communes, province_in, read_province
from knowledge.small_talk import small_talk, without_small_talk, yes_or_no
from knowledge.typed_commands import (
    certificate_asked,
    officer_wish,
    plan_asked,
    product_then_question,
    result_asked,
    typed_command,
)
from knowledge.typed_dates import read_when

_HANOI = (21.0285, 105.8542)
_SAID = (
    "xin chào",
    "OCOP là gì",
    "làng nghề gần Hội An",
    "how far is Sa Pa from Hanoi",
    "tôi làm mật ong ở Thái Nguyên, được mấy sao",
)
"""What the readers are asked once: a greeting, a programme question, a place, English, a
producer's own product."""


def preload() -> None:
    """Ask each reader once: what it indexes on first use is built now."""
    now = datetime.now(UTC)
    for text in _SAID:
        understand(text)
        understand(text, _HANOI)
        for audience in (None, "tourist", "producer"):
            reading = read_question(text, audience=audience)
            for match in reading.matches[:1]:
                first_reply(match.entry, reading.words, "vi")
        for reader in (
            typed_command,
            officer_wish,
            plan_asked,
            result_asked,
            certificate_asked,
            product_then_question,
            small_talk,
            without_small_talk,
            yes_or_no,
            read_consent,
            written_in,
            asks_for_officer,
            names_a_place,
            named_sets,
            read_province,
            province_in,
        ):
            reader(text)
        read_when(text, now)
    read_province("Nghe Ann")  # a typo: checked against the communes and former districts
    communes()
    product_sets()
    bundled_sheets()
