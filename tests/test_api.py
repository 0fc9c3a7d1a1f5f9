"""REST: criteria sheets and scoring, with 422s that name what is wrong."""

from __future__ import annotations

import httpx
import pytest
from fastapi import FastAPI

from tests.test_assessment_flow import load_tiny


async def test_list_of_sets(client: httpx.AsyncClient) -> None:
    sets = (await client.get("/api/criteria")).json()
    by_code = {s["code"]: s for s in sets}
    assert by_code["26-mat-ong-mat-khac"] == {
        "code": "26-mat-ong-mat-khac",
        "name": "Mật ong, mật khác và nông sản thực phẩm khác",
        "name_en": "Honey, other syrups and other farm foods",
        "sector": "Thực phẩm",
        "group": "Thực phẩm thô, sơ chế",
        "edition": "26",
        "decision": "QĐ 26/2026/QĐ-TTg",
        "status": "current",
        "signed_on": "2026-05-22",
        "in_force_from": "2026-05-22",
        "lapses_on": None,
        "successor": None,
        "sheet": True,
    }
    lapsed = by_code["148-mat-ong-mat-khac"]
    assert (lapsed["status"], lapsed["lapses_on"], lapsed["successor"]) == (
        "superseded",
        "2026-07-21",
        "26-mat-ong-mat-khac",
    )
    assert by_code["148-du-lich-cong-dong"]["sheet"] is False
    assert all(s["sheet"] for s in sets if s["edition"] == "26")  # all 26 sets scorable
    assert len([s for s in sets if s["edition"] == "26"]) == 26
    assert by_code["1048-rau-cu-qua-hat-tuoi"]["status"] == "superseded"
    assert by_code["1048-rau-cu-qua-hat-tuoi"]["sheet"] is True


async def test_sheet_of_the_decision_in_force_marks_minimums_and_disqualifiers(
    client: httpx.AsyncClient,
) -> None:
    sheet = (await client.get("/api/criteria/26-mat-ong-mat-khac")).json()
    assert (sheet["edition"], sheet["status"], sheet["unofficial"]) == (
        "QĐ 26/2026/QĐ-TTg",
        "current",
        True,
    )
    assert [d["code"] for d in sheet["disqualifiers"]] == ["L1", "L2", "L3"]
    assert sheet["disqualifiers"][0]["text"] == "Giả mạo hồ sơ"
    criteria = {c["code"]: c for p in sheet["parts"] for c in p["criteria"]}
    # 1.5: "Có hợp đồng liên kết trên 75% sản lượng tiêu thụ****" is the 4★ minimum
    assert criteria["1.5"]["options"][2]["required_for"] == 4
    assert "required_for" not in criteria["1.5"]["options"][1]
    assert criteria["2.4"]["kind"] == "yes_no"
    assert [t["stars"] for t in sheet["star_thresholds"]] == [5, 4, 3, 2, 1]
    assert any("printed as 13" in r for r in sheet["readings"])


async def test_sheet_document(client: httpx.AsyncClient) -> None:
    sheet = (await client.get("/api/criteria/1048-rau-cu-qua-hat-tuoi")).json()
    assert (sheet["edition"], sheet["status"], sheet["unofficial"]) == (
        "QĐ 1048/QĐ-TTg",
        "superseded",
        True,
    )
    assert [(p["code"], p["max_points"]) for p in sheet["parts"]] == [
        ("A", 35),
        ("B", 25),
        ("C", 40),
    ]
    first = sheet["parts"][0]["criteria"][0]
    assert first["code"] == "A1.1" and first["options"][2] == {
        "text": "Sử dụng nguyên liệu có nguồn gốc trong tỉnh từ 75% đến 100%",
        "points": 3.0,
    }
    assert sheet["star_thresholds"][0] == {"stars": 5, "min": 90.0}


async def test_score_endpoint(app: FastAPI, client: httpx.AsyncClient) -> None:
    await load_tiny(app.state.db)
    response = await client.post(
        "/api/assessments/score",
        json={
            "set": "26-mat-ong-mat-khac",
            "answers": {"L1": 0, "A1": 1, "A2": 1, "B1": 1, "C1": 1},
        },
    )
    assert response.status_code == 200
    body = response.json()
    # 5 + 20 + 25 + 15 = 65 → 3★ (from 50 to under 70), certified by the province
    assert (body["total"], body["parts"], body["stars"]) == (65, {"A": 25, "B": 25, "C": 15}, 3)
    assert (body["certifiable"], body["certified_by"]) == (True, "province")
    assert body["missing"] == ["C2"]
    # 4★ needs 5 more: one step up on C2 (0 → 20)
    assert body["next_star"]["stars"] == 4 and body["next_star"]["points_needed"] == 5
    assert [s["criterion"] for s in body["next_star"]["plan"]] == ["C2"]
    assert [g["stars"] for g in body["stars_above"]] == [4, 5]
    assert body["stars_above"][1]["certified_by"] == "ministry"


async def test_score_endpoint_disqualified_and_held_back(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    await load_tiny(app.state.db)
    answers = {"A1": 0, "A2": 1, "B1": 1, "C1": 1, "C2": 1}  # 0 + 20 + 25 + 15 + 20 = 80
    body = (
        await client.post(
            "/api/assessments/score", json={"set": "26-mat-ong-mat-khac", "answers": answers}
        )
    ).json()
    # 4★ by points, but A1 (minimum for 3★) is unmet: held back to 2★, not certified
    assert (body["band"], body["stars"], body["certifiable"]) == (4, 2, False)
    assert body["held_back_by"] == ["A1"]
    assert body["next_star"]["minimums"][0] == {
        "criterion": "A1",
        "option": "Địa phương",
        "for_stars": 3,
    }
    rejected = (
        await client.post(
            "/api/assessments/score",
            json={"set": "26-mat-ong-mat-khac", "answers": {**answers, "L1": 1}},
        )
    ).json()
    assert (rejected["stars"], rejected["disqualified_by"], rejected["stars_above"]) == (
        0,
        ["L1"],
        [],
    )


@pytest.mark.parametrize(
    ("payload", "status", "detail"),
    [
        pytest.param(
            {"set": "nope", "answers": {}}, 422, "unknown product set 'nope'", id="unknown-set"
        ),
        pytest.param(
            {"set": "1048-rau-cu-qua-hat-tuoi", "answers": {"X1": 0}},
            422,
            "unknown criterion 'X1' in sheet 1048-rau-cu-qua-hat-tuoi",
            id="unknown-criterion",
        ),
        pytest.param(
            {"set": "1048-rau-cu-qua-hat-tuoi", "answers": {"A1.1": 9}},
            422,
            "criterion 'A1.1' has options 0-2, not 9",
            id="bad-option",
        ),
        pytest.param(
            {"set": "148-du-lich-cong-dong", "answers": {}},
            404,
            "no criteria sheet loaded for '148-du-lich-cong-dong' yet",
            id="no-sheet",
        ),
    ],
)
async def test_score_errors(
    client: httpx.AsyncClient, payload: dict, status: int, detail: str
) -> None:
    response = await client.post("/api/assessments/score", json=payload)
    assert (response.status_code, response.json()["detail"]) == (status, detail)


async def test_malformed_score_body_is_422(client: httpx.AsyncClient) -> None:
    response = await client.post("/api/assessments/score", json={"answers": {"A1.1": "two"}})
    assert response.status_code == 422
    response = await client.post(
        "/api/assessments/score", content=b"{", headers={"content-type": "application/json"}
    )
    assert response.status_code == 422


async def test_body_over_the_limit_gets_413(client: httpx.AsyncClient) -> None:
    big = b'{"set": "' + b"x" * (1024 * 1024) + b'", "answers": {}}'
    response = await client.post(
        "/api/assessments/score", content=big, headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 413

    async def chunks():  # no Content-Length: refused once the limit is passed
        yield b'{"set": "'
        for _ in range(40):
            yield b"x" * 65536

    streamed = await client.post(
        "/api/assessments/score", content=chunks(), headers={"Content-Type": "application/json"}
    )
    assert streamed.status_code == 413
    assert streamed.json()["detail"] == "request body too large"


async def test_422_quotes_only_a_short_excerpt_of_the_input(client: httpx.AsyncClient) -> None:
    junk = "A" * 200_000
    response = await client.post("/api/assessments/score", json={"set": 1, "answers": junk})
    assert response.status_code == 422
    assert len(response.content) < 2000
    problems = response.json()["detail"]
    assert {tuple(p["loc"]) for p in problems} >= {("body", "answers")}
    assert all(len(p["input"] or "") <= 40 for p in problems)
    long_set = await client.post("/api/assessments/score", json={"set": junk, "answers": {}})
    assert long_set.status_code == 422 and len(long_set.content) < 500
    long_path = await client.get(f"/api/places/{'B' * 5000}")
    assert long_path.status_code == 404 and len(long_path.content) < 500


async def test_openapi_documents_every_error_the_endpoints_answer(
    client: httpx.AsyncClient,
) -> None:
    paths = (await client.get("/openapi.json")).json()["paths"]
    documented = {
        (path, method): set(operation["responses"])
        for path, methods in paths.items()
        for method, operation in methods.items()
    }
    assert documented[("/api/assessments/score", "post")] >= {"200", "400", "404", "413", "422"}
    assert documented[("/api/places/{place_id}", "get")] >= {"200", "404"}
    assert documented[("/telegram/webhook", "post")] >= {"200", "400", "401", "403", "413", "503"}
    assert documented[("/zalo/webhook", "post")] >= {"200", "400", "401", "413", "503"}
    assert documented[("/healthz", "get")] >= {"200", "503"}
    problem = paths["/api/assessments/score"]["post"]["responses"]["422"]["content"]
    assert problem["application/json"]["schema"] == {"$ref": "#/components/schemas/Problem"}
