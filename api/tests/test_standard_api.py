def test_standard_as_json(client, unit, service_type):
    response = client.get("/api/v1/standard/?unit=bpmp-kalteng")
    assert response.status_code == 200
    data = response.json()
    assert data["unit"]["code"] == "bpmp-kalteng"
    assert len(data["violations"]) == 13
    assert len(data["compensations"]) == 3
    assert len(data["channels"]) == 6
    assert len(data["legal_basis"]) == 12
    assert [s["code"] for s in data["service_types"]] == ["informasi"]
    assert {c["code"] for c in data["channels"]} == {
        "letter",
        "phone",
        "social_media",
        "email",
        "web",
        "in_person",
    }
    decree = next(r for r in data["deadline_rules"] if r["code"] == "decree")
    assert decree["length"] == 7
    assert all("code" in entry for entry in data["sanctions"])


def test_missing_or_unknown_unit(client, db):
    missing = client.get("/api/v1/standard/")
    assert missing.status_code == 400
    assert "unit" in missing.json()
    assert client.get("/api/v1/standard/?unit=nope").status_code == 404
    # A NUL is no unit's code (PostgreSQL would refuse the comparison: a 500 before).
    assert client.get("/api/v1/standard/?unit=bpmp%00kalteng").status_code == 404


def test_schema_and_docs_are_served_locally(client, db):
    schema = client.get("/api/v1/schema/")
    assert schema.status_code == 200
    assert b"/api/v1/standard/" in schema.content
    docs = client.get("/api/v1/docs/")
    assert docs.status_code == 200
    assert b"//cdn" not in docs.content
    assert b"/static/drf_spectacular_sidecar/" in docs.content


def test_token_auth(client, people):
    from conftest import PASSWORD

    response = client.post("/api/v1/auth/token/", {"username": "cici", "password": PASSWORD})
    assert response.status_code == 200
    token = response.json()["token"]
    bad = client.post("/api/v1/auth/token/", {"username": "cici", "password": "wrong"})
    assert bad.status_code == 400
    assert token
