"""The picture of a result: points per part against their maxima, the total on the star bands."""

from __future__ import annotations

import io

from PIL import Image, ImageDraw, ImageFont

_WIDTH, _ROW, _LEFT, _RIGHT = 640, 56, 120, 40
_GREEN, _GREY, _INK, _BAND = (46, 139, 87), (225, 225, 225), (33, 33, 33), (200, 120, 0)


def score_chart(
    parts: list[tuple[str, float, float]], total: float, thresholds: list[tuple[int, float]]
) -> bytes:
    """A PNG: one bar per part (code, points, maximum), then the total out of 100 with a mark at
    each star threshold (stars, minimum points)."""
    rows = [*parts, ("Total", total, 100.0)]
    height = _ROW * len(rows) + 40
    image = Image.new("RGB", (_WIDTH, height), "white")
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=16)
    span = _WIDTH - _LEFT - _RIGHT
    for row, (label, points, maximum) in enumerate(rows):
        top = 20 + row * _ROW
        draw.text((12, top + 8), label, fill=_INK, font=font)
        draw.rectangle((_LEFT, top, _LEFT + span, top + 30), fill=_GREY)
        filled = span * (min(points, maximum) / maximum if maximum else 0)
        draw.rectangle((_LEFT, top, _LEFT + filled, top + 30), fill=_GREEN)
        draw.text(
            (_LEFT + 6, top + 7),
            f"{points:g}/{maximum:g}",
            fill="white" if filled > 80 else _INK,
            font=font,
        )
        if label == "Total":
            for stars, minimum in thresholds:
                x = _LEFT + span * minimum / 100
                draw.line((x, top - 4, x, top + 34), fill=_BAND, width=2)
                draw.text((x + 3, top + 34), f"{stars}*", fill=_BAND, font=font)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()
