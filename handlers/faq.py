"""Free questions about the OCOP rules, answered from the sourced FAQ with their legal basis."""

from __future__ import annotations

from bot.context import Context
from bot.messages import Button, Incoming, Reply
from handlers.menu import menu_button, stale_button
from handlers.office_faq import officer_answer
from knowledge.faq import FaqEntry, entries, find_answer

PREFIX = "faq"


def _audience(ctx: Context) -> str | None:
    return "tourist" if ctx.user.role == "tourist" else "producer"


def _answer(ctx: Context, entry: FaqEntry, others: list[FaqEntry]) -> list[Reply]:
    text = entry.answer(ctx.user.locale) + "\n\n" + ctx.t("faq.basis", basis=entry.legal_basis)
    if entry.confidence == "secondary":
        text += "\n" + ctx.t("faq.secondary")
    rows: list[tuple[Button, ...]] = [
        (Button(ctx.t("faq.see_also", topic=_title(o)), f"faq:e:{o.id}"),) for o in others
    ]
    rows.append((Button(ctx.t("faq.topics"), "faq:list"), menu_button(ctx.t)))
    return [Reply(text=text, buttons=tuple(rows))]


def _title(entry: FaqEntry) -> str:
    return entry.questions[0][:48]


async def answer_text(ctx: Context, msg: Incoming) -> list[Reply] | None:
    """The answer to a typed question, or None when the FAQ has nothing close."""
    added = await officer_answer(ctx, msg)  # entries officers added come first (office_faq.py)
    if added is not None:
        return added
    matches = find_answer(msg.text, audience=_audience(ctx))
    if not matches:
        return None
    return _answer(ctx, matches[0].entry, [m.entry for m in matches[1:3]])


async def on_action(ctx: Context, msg: Incoming) -> list[Reply]:
    """`faq:list` (topics) and `faq:e:<id>` (one answer)."""
    parts = (msg.action or "").split(":")[1:]
    known = {e.id: e for e in entries()}
    match parts:
        case ["list"]:
            audience = _audience(ctx)
            rows = tuple(
                (Button(_title(e), f"faq:e:{e.id}"),)
                for e in entries()
                if e.audience in (audience, "all")
            )
            return [Reply(text=ctx.t("faq.ask"), buttons=(*rows, (menu_button(ctx.t),)))]
        case ["e", entry_id] if entry_id in known:
            return _answer(ctx, known[entry_id], [])
    return await stale_button(ctx, msg)
