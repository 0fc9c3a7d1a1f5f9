"""The REST API: OCOP criteria sheets and scoring, for portals and mini-apps; with the limits
every HTTP request meets (body size) and the shape of every error answer."""

from __future__ import annotations

from datetime import UTC, date, datetime
from functools import partial
from typing import Annotated, Any

from fastapi import APIRouter, FastAPI, HTTPException, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from bot import metrics
from db import repo
from db.session import Database
from knowledge.criteria import Edition, Option, Sheet, editions, product_sets
from knowledge.gazetteer import outside_vietnam
from knowledge.places import KINDS, Place, by_id, nearby, search
from knowledge.scoring import AnswerError, StarGap, score

EXCERPT = 40
"""Characters of the client's input an error may quote back."""


def excerpt(value: object, limit: int = EXCERPT) -> str:
    """A short quote of client input for an error message."""
    text = value if isinstance(value, str) else repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


class FieldProblem(BaseModel):
    """One invalid field: where (`loc`), what is wrong (`msg`), and a short quote of it."""

    loc: list[str | int]
    msg: str
    type: str
    input: str | None = None


class Problem(BaseModel):
    """An error answer: a sentence, or one entry per invalid field (422)."""

    detail: str | list[FieldProblem]


def _problem(description: str) -> dict[str, Any]:
    return {"model": Problem, "description": description}


_TOO_LARGE = "request body too large"
_TOO_LARGE_BODY = {"ok": False, "detail": _TOO_LARGE}
"""The 413 answer: an error body of the REST API and of the webhooks alike."""


class BodyTooLarge(HTTPException):
    """The request body passed MAX_BODY_BYTES while it was being read."""

    def __init__(self) -> None:
        super().__init__(413, detail=_TOO_LARGE)


def too_large() -> JSONResponse:
    """The 413 answer to a body over MAX_BODY_BYTES."""
    return JSONResponse(_TOO_LARGE_BODY, status_code=413)


NOT_FOUND = _problem("not found")
INVALID = _problem("invalid parameters or body")
TOO_LARGE = _problem(f"body larger than MAX_BODY_BYTES ({_TOO_LARGE})")


def install_error_handlers(app: FastAPI) -> None:
    """Validation errors answer which fields are wrong, quoting at most a short excerpt; a body
    too large while read answers 413."""

    async def invalid(_request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, RequestValidationError)
        detail = [
            FieldProblem(
                loc=list(error.get("loc", ())),
                msg=excerpt(str(error.get("msg", "")), 200),
                type=str(error.get("type", "")),
                input=excerpt(error["input"]) if "input" in error else None,
            ).model_dump()
            for error in exc.errors()[:10]
        ]
        return JSONResponse({"detail": detail}, status_code=422)

    async def body_too_large(_request: Request, _exc: Exception) -> JSONResponse:
        return too_large()

    app.add_exception_handler(RequestValidationError, invalid)
    app.add_exception_handler(BodyTooLarge, body_too_large)


class BodyLimit:
    """ASGI middleware: a request body over `limit` bytes gets 413, whether its length is
    declared or it streams in chunks (reading stops there, so memory stays bounded)."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        platform = str(scope["path"]).strip("/").split("/", 1)[0]
        platform = platform if platform in ("telegram", "zalo") else "api"
        declared = dict(scope["headers"]).get(b"content-length", b"")
        if declared.isdigit() and int(declared) > self.limit:
            metrics.REJECTED.labels(platform, "too_large").inc()
            await too_large()(scope, receive, send)
            return
        received = 0

        async def limited() -> Message:
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > self.limit:
                metrics.REJECTED.labels(platform, "too_large").inc()
                raise BodyTooLarge
            return message

        await self.app(scope, limited, send)


router = APIRouter(prefix="/api", tags=["criteria"])


def _db(request: Request) -> Database:
    db: Database = request.app.state.db
    return db


async def _sheet(request: Request, set_code: str) -> Sheet:
    if set_code not in product_sets():
        raise HTTPException(422, detail=f"unknown product set {excerpt(set_code)!r}")
    sheet = await _db(request).run(partial(repo.sheet_for_set, set_code=set_code))
    if sheet is None:
        raise HTTPException(404, detail=f"no criteria sheet loaded for {set_code!r} yet")
    return sheet


def _today() -> date:
    return datetime.now(UTC).date()


def _edition_json(edition: Edition) -> dict[str, Any]:
    return {
        "edition": edition.code,
        "decision": edition.decision,
        "status": edition.status_on(_today()),
        "signed_on": edition.signed_on,
        "in_force_from": edition.in_force_from.isoformat(),
        "lapses_on": edition.lapses_on.isoformat() if edition.lapses_on else None,
    }


@router.get("/criteria", summary="Product sets, their sector, group and edition")
async def list_sets(request: Request) -> list[dict[str, Any]]:
    """Every product set known, with its edition (status and dates) and whether a sheet is
    loaded; the sets of the edition in force first."""
    out = []
    all_editions = editions()
    for item in product_sets().values():
        sheet = await _db(request).run(partial(repo.sheet_for_set, set_code=item.code))
        out.append(
            {
                "code": item.code,
                "name": item.name,
                "name_en": item.name_en,
                "sector": item.sector,
                "group": item.group,
                **_edition_json(all_editions[item.edition]),
                "successor": item.successor or None,
                "sheet": sheet is not None,
            }
        )
    return out


def _option_json(option: Option) -> dict[str, Any]:
    data: dict[str, Any] = {"text": option.text, "points": option.points}
    if option.required_for:
        data["required_for"] = option.required_for
    if option.case:
        data["case"] = option.case
    return data


@router.get(
    "/criteria/{set_code}",
    summary="The scoring sheet of a product set",
    responses={404: NOT_FOUND, 422: INVALID},
)
async def get_sheet(request: Request, set_code: str) -> dict[str, Any]:
    """Disqualifying conditions, parts, criteria with their options (points; `required_for`: the
    star level an option is the minimum for) and the star thresholds."""
    sheet = await _sheet(request, set_code)
    return {
        "code": sheet.set_code,
        "name": sheet.name,
        **_edition_json(sheet.edition),
        "edition": sheet.edition.decision,
        "edition_date": sheet.edition.signed_on,
        "source": sheet.source,
        "unofficial": sheet.uncertain,
        "readings": list(sheet.readings),
        "key": sheet.key,
        "disqualifiers": [{"code": d.code, "text": d.text} for d in sheet.disqualifiers],
        "parts": [
            {
                "code": p.code,
                "name": p.name,
                "max_points": p.max_points,
                "criteria": [
                    {
                        "code": c.code,
                        "text": c.text,
                        "kind": c.kind or "options",
                        "mandatory_for": c.mandatory_for,
                        "evidence": c.evidence_vi,
                        "options": [_option_json(o) for o in c.options],
                    }
                    for c in p.criteria
                ],
            }
            for p in sheet.parts
        ],
        "star_thresholds": [{"stars": s, "min": m} for s, m in sheet.star_thresholds],
        "certified_from": sheet.edition.certified_from,
    }


class ScoreRequest(BaseModel):
    """Answers to score: criterion code → option index (0-based, in sheet order); a
    disqualifier code ("L1") → 1 when the condition applies, 0 when it does not."""

    set: Annotated[str, Field(description="product set code")]
    answers: dict[str, int] = Field(default_factory=dict)


def _gap_json(gap: StarGap) -> dict[str, Any]:
    return {
        "stars": gap.stars,
        "points_needed": gap.points_needed,
        "certified_by": gap.certifier or None,
        "minimums": [
            {"criterion": s.criterion.code, "option": s.target.text, "for_stars": s.minimum_for}
            for s in gap.minimums
        ],
        "plan_adds": gap.adds,
        "plan": [
            {
                "criterion": m.criterion.code,
                "text": m.criterion.text,
                "part": m.part,
                "from_points": m.from_points,
                "to_points": m.target.points,
                "target_option": m.target.text,
                "minimum_for": m.minimum_for,
                "evidence": m.criterion.evidence_vi,
            }
            for m in gap.moves
        ],
    }


@router.post(
    "/assessments/score",
    summary="Score answers against a sheet",
    responses={400: _problem("body is not JSON"), 404: NOT_FOUND, 413: TOO_LARGE, 422: INVALID},
)
async def score_answers(request: Request, body: ScoreRequest) -> dict[str, Any]:
    """Points per part, total, the band by points, `stars` (the highest band whose minimum total
    and starred options are met; 0 only when disqualified), whether it is certified and by whom,
    what holds a star back, and per star above: points, minimums and the cheapest plan."""
    sheet = await _sheet(request, body.set)
    try:
        result = score(sheet, body.answers)
    except AnswerError as exc:
        raise HTTPException(422, detail=excerpt(str(exc), 200)) from None
    return {
        **_edition_json(sheet.edition),
        "edition": sheet.edition.decision,
        "unofficial": sheet.uncertain,
        "total": result.total,
        "parts": result.parts,
        "band": result.band,
        "stars": result.stars,
        "certifiable": result.certifiable,
        "certified_by": result.certifier or None,
        "disqualified_by": [d.code for d in result.disqualified_by],
        "held_back_by": [c.code for c in result.held_back_by],
        "missing": list(result.missing),
        "next_star": _gap_json(result.next_star) if result.next_star else None,
        "stars_above": [_gap_json(g) for g in result.gaps],
    }


places_router = APIRouter(prefix="/api/places", tags=["places"])


def _place_json(place: Place) -> dict[str, Any]:
    return {
        "id": place.id,
        "name": place.name,
        "name_en": place.name_en,
        "kind": place.kind,
        "specialties": place.specialties,
        "description_en": place.description_en,
        "province": place.province,
        "commune": place.commune_2025.split(" (")[0],
        "old_address": ", ".join(
            x for x in (place.commune_old, place.district_old, place.province_old) if x
        ),
        "lat": place.lat,
        "lon": place.lon,
        "precision": place.precision,
        "ocop_stars": place.ocop_stars,
        "ocop_note": place.ocop_note,
        "source": [s.strip() for s in place.source.split(";") if s.strip()],
        "visitor": {
            "opening_hours": place.opening_hours,
            "entry_fee": place.entry_fee,
            "getting_there": place.getting_there,
            "activities": place.activities,
            "checked_on": place.checked_on,
        },
    }


@places_router.get("/nearby", summary="Places nearest to a point", responses={422: INVALID})
async def places_nearby(
    lat: Annotated[float, Query(ge=-90, le=90)],
    lon: Annotated[float, Query(ge=-180, le=180)],
    limit: Annotated[int, Query(ge=1, le=50)] = 5,
    kind: Annotated[str | None, Query(description=f"one of {', '.join(KINDS)}")] = None,
    radius_km: Annotated[float | None, Query(gt=0, le=2000)] = None,
) -> list[dict[str, Any]]:
    """Sorted by distance, each with `distance_km`; only inside `radius_km` when given."""
    if outside_vietnam(lat, lon):
        raise HTTPException(422, detail=f"{lat}, {lon} is outside Vietnam: no places there")
    if kind is not None and kind not in KINDS:
        raise HTTPException(
            422, detail=f"unknown kind {excerpt(kind)!r} (one of {', '.join(KINDS)})"
        )
    return [
        {**_place_json(n.place), "distance_km": round(n.km, 3)}
        for n in nearby(lat, lon, limit=limit, radius_km=radius_km, kind=kind)
    ]


@places_router.get(
    "/search",
    summary="Places by name, product or place name (vi or en)",
    responses={422: INVALID},
)
async def places_search(
    q: Annotated[str, Query(min_length=1, max_length=200)],
    limit: Annotated[int, Query(ge=1, le=50)] = 5,
) -> list[dict[str, Any]]:
    """Best first, each with its `score` (0–100); diacritics and typos are tolerated. Below the
    chat's relevance threshold the answer is `[]` (no unrelated places)."""
    if not q.strip():
        raise HTTPException(422, detail="q is empty")
    return [{**_place_json(f.place), "score": round(f.score, 1)} for f in search(q, limit=limit)]


@places_router.get("/{place_id}", summary="One place", responses={404: NOT_FOUND, 422: INVALID})
async def place_detail(place_id: str) -> dict[str, Any]:
    """Everything known about a place."""
    place = by_id(place_id)
    if place is None:
        raise HTTPException(404, detail=f"no place {excerpt(place_id)!r}")
    return _place_json(place)
