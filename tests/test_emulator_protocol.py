"""The emulator speaks the Flashduty protocol: auth, envelope, errors, validation, paging."""

from __future__ import annotations

import httpx
import pytest

from flashcat_prefect.emulator import FlashcatEmulator
from flashcat_prefect.emulator.seed import DEFAULT_CHANNEL_ID

DAY = 86400


def post(
    emu: FlashcatEmulator,
    path: str,
    body: object = None,
    *,
    key: str | None = None,
    **kwargs: object,
) -> httpx.Response:
    params = {"app_key": emu.app_key if key is None else key}
    return httpx.post(
        emu.url + path, params=params, json=body if body is not None else {}, **kwargs
    )


def error_of(response: httpx.Response) -> tuple[int, str, str]:
    payload = response.json()
    assert "data" not in payload
    assert payload["request_id"] == response.headers["Flashcat-Request-Id"]
    return response.status_code, payload["error"]["code"], payload["error"]["message"]


def test_success_envelope_carries_request_id_in_body_and_header(emulator):
    response = post(emulator, "/channel/list", {})
    payload = response.json()
    assert response.status_code == 200
    assert "error" not in payload
    assert payload["request_id"] == response.headers["Flashcat-Request-Id"]
    assert len(payload["data"]["items"]) == 8


@pytest.mark.parametrize("key", ["", "not-the-key"])
def test_missing_or_wrong_app_key_is_unauthorized(emulator, key):
    status, code, _ = error_of(post(emulator, "/channel/list", {}, key=key))
    assert (status, code) == (401, "Unauthorized")


def test_unknown_path_and_wrong_verb(emulator):
    assert error_of(post(emulator, "/channel/frobnicate", {}))[:2] == (404, "RouteNotFound")
    response = httpx.get(emulator.url + "/channel/list", params={"app_key": emulator.app_key})
    assert error_of(response)[:2] == (405, "MethodNotAllowed")


def test_non_json_body_is_invalid_content_type(emulator):
    response = httpx.post(
        emulator.url + "/channel/list",
        params={"app_key": emulator.app_key},
        content=b"p=1",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert error_of(response)[:2] == (400, "InvalidContentType")
    response = httpx.post(
        emulator.url + "/channel/list",
        params={"app_key": emulator.app_key},
        content=b"{not json",
        headers={"Content-Type": "application/json"},
    )
    assert error_of(response)[:2] == (400, "InvalidContentType")


def test_oversized_body_is_entity_too_large(emulator):
    response = post(emulator, "/channel/list", {"query": "x" * (5 * 1024 * 1024)})
    assert error_of(response)[:2] == (413, "EntityTooLarge")


def test_invalid_body_names_the_field(emulator):
    status, code, message = error_of(post(emulator, "/incident/list", {"start_time": 1}))
    assert (status, code) == (400, "InvalidParameter")
    assert "end_time" in message
    status, code, message = error_of(post(emulator, "/channel/list", {"limit": "many"}))
    assert (status, code) == (400, "InvalidParameter")
    assert "limit" in message


def test_unknown_fields_are_ignored_and_logged(emulator):
    """As the Go server's JSON decoder does, the emulator ignores fields the spec does not
    declare (the client refuses them before sending); the request log names them."""
    emulator.request_log.clear()
    response = post(emulator, "/channel/list", {"no_such_field": 1, "limit": 2})
    assert response.status_code == 200 and len(response.json()["data"]["items"]) == 2
    (entry,) = emulator.request_log.for_path("/channel/list")
    assert entry.ignored == ("no_such_field",) and entry.body == {"limit": 2}


def test_event_api_rejects_unknown_integration_key(emulator):
    response = httpx.post(
        emulator.url + "/event/push/alert/standard",
        params={"integration_key": "nope"},
        json={"event_status": "Critical", "title_rule": "disk full"},
    )
    status, code, message = error_of(response)
    assert (status, code, message) == (
        400,
        "InvalidParameter",
        "integration_key is not a valid one",
    )


def test_incident_list_span_limit_is_31_days(emulator):
    now = emulator.state.now
    ok = post(emulator, "/incident/list", {"start_time": now - 31 * DAY, "end_time": now})
    assert ok.status_code == 200
    status, code, message = error_of(
        post(emulator, "/incident/list", {"start_time": now - 31 * DAY - 1, "end_time": now})
    )
    assert (status, code) == (400, "InvalidParameter") and "31 days" in message


def test_page_limits(emulator):
    assert error_of(post(emulator, "/member/list", {"limit": 101}))[1] == "InvalidParameter"
    status, code, message = error_of(post(emulator, "/member/list", {"p": 101, "limit": 100}))
    assert (status, code) == (400, "InvalidParameter") and "10000" in message
    assert post(emulator, "/member/list", {"p": 100, "limit": 100}).status_code == 200


def _rows_in(emulator: FlashcatEmulator, start: int, end: int) -> set[str]:
    table = emulator.state.incidents
    starts = table.cols["start"][: table.size]
    return {table.incident_id(i) for i in range(table.size) if start <= starts[i] <= end}


def test_total_is_capped_and_pages_walk_every_incident(emulator):
    now = emulator.state.now
    window = {"start_time": now - 14 * DAY, "end_time": now}
    expected = _rows_in(emulator, window["start_time"], window["end_time"])
    assert len(expected) > 1000  # the demo seed holds about 110 incidents a day
    seen: list[str] = []
    p = 1
    while True:
        data = post(emulator, "/incident/list", {**window, "p": p, "limit": 100}).json()["data"]
        assert data["total"] == 1000
        seen += [item["incident_id"] for item in data["items"]]
        if not data["has_next_page"]:
            break
        p += 1
    assert len(seen) == len(set(seen)) and set(seen) == expected


def test_cursor_walk_is_complete_in_both_orders(emulator):
    now = emulator.state.now
    window = {"start_time": now - 5 * DAY, "end_time": now, "channel_ids": [DEFAULT_CHANNEL_ID]}
    table = emulator.state.incidents
    expected = {
        i
        for i in _rows_in(emulator, now - 5 * DAY, now)
        if table.cols["channel"][table.row_of(i)] == DEFAULT_CHANNEL_ID
    }
    for asc in (False, True):
        seen: list[dict] = []
        body: dict = {**window, "limit": 37, "asc": asc}
        while True:
            data = post(emulator, "/incident/list", body).json()["data"]
            seen += data["items"]
            if not data["has_next_page"]:
                assert "search_after_ctx" not in data
                break
            body["search_after_ctx"] = data["search_after_ctx"]
        starts = [item["start_time"] for item in seen]
        assert starts == sorted(starts, reverse=not asc)
        assert {item["incident_id"] for item in seen} == expected
        assert len(seen) == len(expected)


def test_incident_filters(emulator):
    now = emulator.state.now
    window = {"start_time": now - 20 * DAY, "end_time": now, "limit": 100}
    data = post(
        emulator,
        "/incident/list",
        {**window, "incident_severity": "Critical", "progress": "Closed", "team_ids": [3002]},
    ).json()
    items = data["data"]["items"]
    assert items
    assert {i["incident_severity"] for i in items} == {"Critical"}
    assert {i["progress"] for i in items} == {"Closed"}
    assert {i["channel_id"] for i in items} <= {2002, 2003}


def test_foreign_cursor_is_rejected(emulator):
    now = emulator.state.now
    status, code, message = error_of(
        post(
            emulator,
            "/incident/list",
            {"start_time": now - DAY, "end_time": now, "search_after_ctx": "f" * 24},
        )
    )
    assert (status, code) == (400, "InvalidParameter") and "search_after_ctx" in message
