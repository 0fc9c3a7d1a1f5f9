"""FAQ entries officers wrote from unanswered questions: matched before the bundled FAQ, in the
user's province and nationally, in force as soon as they are saved (`learning.in_force`)."""

from __future__ import annotations

from rapidfuzz import fuzz

from bot.context import Context
from bot.markup import escape
from bot.messages import Incoming, Reply
from handlers.learning import in_force
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
    best, best_score = None, OFFICER_MATCH
    for entry, questions in await in_force(ctx, ctx.db):
        if entry.province_code not in (None, ctx.user.province_code):
            continue
        for question in questions:
            score = fuzz.token_sort_ratio(key, question)
            if score >= best_score:
                best, best_score = entry, score
    if best is None:
        return None
    english = ctx.locale == "en" and bool(best.answer_en)
    only_vi = ctx.t("learn.vi_only") + "\n" if ctx.locale == "en" and not english else ""
    text = (
        only_vi
        + escape(best.answer_en if english else best.answer_vi)
        + "\n\n"
        + ctx.t("faq.basis", basis=best.legal_basis)
        + "\n"
        + ctx.t("learn.by_office")
    )
    return [Reply(text=text, buttons=((menu_button(ctx.t),),))]
