"""REST: criteria sheets and scoring, with 422s that name what is wrong."""

from __future__ import annotations

import httpx
import pytest
from fastapi import FastAPI

from tests.test_assessment_flow import load_tiny


async def test_list_of_sets(client: httpx.AsyncClient) -> None:
    sets = (await client.get("/api/criteria")).json()
    by_code = {s["code"]: s for s in sets}
    assert by_code["148-mat-ong-mat-khac"] == {
        "code": "148-mat-ong-mat-khac",
        "name": "Mật ong, mật khác và nông sản thực phẩm khác",
        "group": "Thực phẩm",
        "edition": "148",
        "status": "current",
        "sheet": True,
    }
    assert by_code["148-du-lich-cong-dong"]["sheet"] is False
    assert by_code["1048-rau-cu-qua-hat-tuoi"]["status"] == "superseded"
    assert by_code["1048-rau-cu-qua-hat-tuoi"]["sheet"] is True


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
            "set": "148-mat-ong-mat-khac",
            "answers": {"A1": 1, "A2": 1, "B1": 1, "C1": 1},
        },
    )
    assert response.status_code == 200
    body = response.json()
    # 5 + 20 + 25 + 15 = 65 → 3★; 4★ needs 5: C2 (+20)
    assert (body["total"], body["parts"], body["stars"]) == (65, {"A": 25, "B": 25, "C": 15}, 3)
    assert body["missing"] == ["C2"]
    assert body["next_star"]["stars"] == 4 and body["next_star"]["points_needed"] == 5
    assert [s["criterion"] for s in body["next_star"]["suggestions"]] == ["C2"]


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
