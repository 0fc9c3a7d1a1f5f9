"""The REST API: OCOP criteria sheets and scoring, for portals and mini-apps."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, Request
from pydantic import BaseModel, Field

from db.session import Database
from handlers.sheets import sheet_for_set
from knowledge.criteria import Sheet, product_sets
from knowledge.gazetteer import outside_vietnam
from knowledge.places import KINDS, Place, by_id, nearby, search
from knowledge.scoring import AnswerError, score

router = APIRouter(prefix="/api", tags=["criteria"])


def _db(request: Request) -> Database:
    return request.app.state.db  # type: ignore[no-any-return]


async def _sheet(request: Request, set_code: str) -> Sheet:
    if set_code not in product_sets():
        raise HTTPException(422, detail=f"unknown product set {set_code!r}")
    sheet = await sheet_for_set(_db(request), set_code)
    if sheet is None:
        raise HTTPException(404, detail=f"no criteria sheet loaded for {set_code!r} yet")
    return sheet


@router.get("/criteria", summary="Product sets, their group and edition")
async def list_sets(request: Request) -> list[dict[str, Any]]:
    """Every product set known, with the edition it belongs to and whether a sheet is loaded."""
    out = []
    for item in product_sets().values():
        sheet = await sheet_for_set(_db(request), item.code)
        out.append(
            {
                "code": item.code,
                "name": item.name,
                "group": item.group,
                "edition": item.edition,
                "status": "current" if item.edition == "148" else "superseded",
                "sheet": sheet is not None,
            }
        )
    return out


@router.get("/criteria/{set_code}", summary="The scoring sheet of a product set")
async def get_sheet(request: Request, set_code: str) -> dict[str, Any]:
    """Parts, criteria with their options (points) and the star thresholds."""
    sheet = await _sheet(request, set_code)
    return {
        "code": sheet.set_code,
        "name": sheet.name,
        "edition": sheet.edition.decision,
        "edition_date": sheet.edition.date,
        "status": sheet.edition.status,
        "source": sheet.source,
        "unofficial": sheet.uncertain,
        "key": sheet.key,
        "parts": [
            {
                "code": p.code,
                "name": p.name,
                "max_points": p.max_points,
                "criteria": [
                    {
                        "code": c.code,
                        "text": c.text,
                        "mandatory_for": c.mandatory_for,
                        "evidence": c.evidence_vi,
                        "options": [{"text": o.text, "points": o.points} for o in c.options],
                    }
                    for c in p.criteria
                ],
            }
            for p in sheet.parts
        ],
        "star_thresholds": [{"stars": s, "min": m} for s, m in sheet.star_thresholds],
    }


class ScoreRequest(BaseModel):
    """Answers to score: criterion code → option index (0-based, in sheet order)."""

    set: Annotated[str, Field(description="product set code")]
    answers: dict[str, int] = Field(default_factory=dict)


@router.post("/assessments/score", summary="Score answers against a sheet")
async def score_answers(request: Request, body: ScoreRequest) -> dict[str, Any]:
    """Points per part, total, stars, and what the next star needs; missing answers count 0."""
    sheet = await _sheet(request, body.set)
    try:
        result = score(sheet, body.answers)
    except AnswerError as exc:
        raise HTTPException(422, detail=str(exc)) from None
    next_star = None
    if result.next_star is not None:
        next_star = {
            "stars": result.next_star.stars,
            "points_needed": result.next_star.points_needed,
            "mandatory": [c.code for c in result.next_star.mandatory],
            "suggestions": [
                {
                    "criterion": f.criterion.code,
                    "text": f.criterion.text,
                    "part": f.part,
                    "gain": f.gain,
                    "target_option": f.target.text,
                    "evidence": f.criterion.evidence_vi,
                }
                for f in result.next_star.fixes
            ],
        }
    return {
        "edition": sheet.edition.decision,
        "status": sheet.edition.status,
        "unofficial": sheet.uncertain,
        "total": result.total,
        "parts": result.parts,
        "stars": result.stars,
        "held_back_by": [c.code for c in result.held_back_by],
        "missing": list(result.missing),
        "next_star": next_star,
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


@places_router.get("/nearby", summary="Places nearest to a point")
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
        raise HTTPException(422, detail=f"unknown kind {kind!r} (one of {', '.join(KINDS)})")
    return [
        {**_place_json(n.place), "distance_km": round(n.km, 3)}
        for n in nearby(lat, lon, limit=limit, radius_km=radius_km, kind=kind)
    ]


@places_router.get("/search", summary="Places by name, product or place name (vi or en)")
async def places_search(
    q: Annotated[str, Query(min_length=1, max_length=200)],
    limit: Annotated[int, Query(ge=1, le=50)] = 5,
) -> list[dict[str, Any]]:
    """Best first, each with its `score` (0–100); diacritics and typos are tolerated. Below the
    chat's relevance threshold the answer is `[]` (no unrelated places)."""
    if not q.strip():
        raise HTTPException(422, detail="q is empty")
    return [{**_place_json(f.place), "score": round(f.score, 1)} for f in search(q, limit=limit)]


@places_router.get("/{place_id}", summary="One place")
async def place_detail(place_id: str) -> dict[str, Any]:
    """Everything known about a place."""
    place = by_id(place_id)
    if place is None:
        raise HTTPException(404, detail=f"no place {place_id!r}")
    return _place_json(place)
