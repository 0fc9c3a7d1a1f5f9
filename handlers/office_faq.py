"""FAQ entries officers wrote from unanswered questions: matched after the bundled FAQ finds
nothing, in the user's province and nationally, in force as soon as they are saved."""

from __future__ import annotations

from functools import partial

from rapidfuzz import fuzz

from bot.context import Context
from bot.markup import escape
from bot.messages import Incoming, Reply
from db import office
from handlers.menu import menu_button
from knowledge.text import fold

OFFICER_MATCH = 80.0
"""token_sort_ratio (folded) an officer entry's variant needs: word order and typos are
forgiven, a lone shared word is not (token_set_ratio would give "ocop" 100 against any)."""


async def officer_answer(ctx: Context, msg: Incoming) -> list[Reply] | None:
    """The answer of an FAQ entry officers added (the user's province or national), or None."""
    key = fold(msg.text)
    if not key or ctx.db is None:
        return None
    found = await ctx.read(partial(office.officer_faq, province_code=ctx.user.province_code))
    best, best_score = None, OFFICER_MATCH
    for entry in found:
        for question in entry.questions:
            score = fuzz.token_sort_ratio(key, fold(question))
            if score >= best_score:
                best, best_score = entry, score
    if best is None:
        return None
    answer = best.answer_en if ctx.locale == "en" and best.answer_en else best.answer_vi
    text = (
        escape(answer)
        + "\n\n"
        + ctx.t("faq.basis", basis=best.legal_basis)
        + "\n"
        + ctx.t("learn.by_office")
    )
    return [Reply(text=text, buttons=((menu_button(ctx.t),),))]
