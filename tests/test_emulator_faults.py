"""Faults, rate limits, the request log and the control routes of the emulator."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from flashcat_prefect.api import EXPORT_RATE_LIMIT, RateLimit
from flashcat_prefect.client import FlashcatClient
from flashcat_prefect.client.errors import (
    FlashcatTransportError,
    InternalError,
    RequestTooFrequentlyError,
)
from flashcat_prefect.emulator import create_app
from flashcat_prefect.emulator.faults import Fault, FaultSet
from flashcat_prefect.emulator.ratelimit import RateLimiter

DAY = 86400


def post(emu, path, body=None, **params):
    return httpx.post(emu.url + path, params={"app_key": emu.app_key, **params}, json=body or {})


# -- rate limits -----------------------------------------------------------------------------


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_rate_limiter_per_second_and_per_minute_windows():
    clock = FakeClock()
    limiter = RateLimiter(clock)
    limit = RateLimit(per_second=5, per_minute=12)
    assert [limiter.check("a", limit) for _ in range(5)] == [None] * 5
    assert limiter.check("a", limit) == 1  # sixth in the same second
    assert limiter.check("b", limit) is None  # other accounts have their own window
    clock.now += 1.01
    assert [limiter.check("a", limit) for _ in range(5)] == [None] * 5
    clock.now += 1.01
    assert [limiter.check("a", limit) for _ in range(2)] == [None, None]
    wait = limiter.check("a", limit)  # 12 in the last minute
    assert wait is not None and 55 <= wait <= 58
    clock.now += wait
    assert limiter.check("a", limit) is None


def test_served_export_class_answers_429_with_retry_after(emulator):
    emulator.rate_limits = True
    now = emulator.state.now
    body = {"start_time": now - DAY, "end_time": now}
    first = post(emulator, "/insight/incident/export", body)
    second = post(emulator, "/insight/incident/export", body)
    assert first.status_code == 200
    assert second.status_code == 429
    assert second.json()["error"]["code"] == "RequestTooFrequently"
    assert int(second.headers["Retry-After"]) >= 1
    assert post(emulator, "/channel/list").status_code == 200  # the default class is apart
    assert EXPORT_RATE_LIMIT.per_second == 1


def test_rate_limits_can_be_switched_off(emulator):
    emulator.rate_limits = False
    now = emulator.state.now
    body = {"start_time": now - DAY, "end_time": now}
    assert [post(emulator, "/insight/team/export", body).status_code for _ in range(3)] == [200] * 3


# -- faults ----------------------------------------------------------------------------------


def test_http_error_fault_for_one_path_and_a_number_of_times(emulator):
    emulator.faults.add("http_error", path="/team/list", status=503, times=2)
    codes = [post(emulator, "/team/list").status_code for _ in range(3)]
    assert codes == [503, 503, 200]
    assert post(emulator, "/member/list").status_code == 200
    assert emulator.request_log.count("/team/list") == 3


def test_rate_limit_fault_with_and_without_retry_after(emulator):
    emulator.faults.sequence(
        "/team/list", [{"kind": "rate_limit", "retry_after": 7}, "rate_limit", None]
    )
    with_header, without_header, fine = (post(emulator, "/team/list") for _ in range(3))
    assert (with_header.status_code, with_header.headers["Retry-After"]) == (429, "7")
    assert without_header.status_code == 429 and "Retry-After" not in without_header.headers
    assert without_header.json()["error"]["code"] == "RequestTooFrequently"
    assert fine.status_code == 200


def test_error_inside_200_and_malformed_body(emulator):
    emulator.faults.add(
        "error_in_200", path="/team/list", times=1, code="AccessDenied", message="nope"
    )
    emulator.faults.add("malformed", path="/member/list", times=1)
    response = post(emulator, "/team/list")
    assert response.status_code == 200
    assert response.json()["error"] == {"code": "AccessDenied", "message": "nope"}
    response = post(emulator, "/member/list")
    assert response.status_code == 200
    with pytest.raises(ValueError):
        response.json()


def test_drop_cuts_the_connection_over_tcp_and_asgi(emulator):
    emulator.faults.add("drop", path="/team/list", times=1)
    with pytest.raises(httpx.RemoteProtocolError):
        post(emulator, "/team/list")
    assert post(emulator, "/team/list").status_code == 200

    app = create_app(app_key="k", rate_limits=False)
    app.faults.add("drop", path="/team/list", times=1)

    async def call() -> int:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://emulator") as http:
            with pytest.raises(httpx.TransportError):
                await http.post("/team/list", params={"app_key": "k"}, json={})
            return (await http.post("/team/list", params={"app_key": "k"}, json={})).status_code

    assert asyncio.run(call()) == 200


def test_latency_fault_delays_the_answer(emulator):
    emulator.faults.add("latency", path="/team/list", seconds=0.3, times=1)
    response = post(emulator, "/team/list")
    assert response.status_code == 200
    assert response.elapsed.total_seconds() >= 0.3


def test_probability_zero_and_one():
    faults = FaultSet(seed=1)
    faults.add("http_error", path="/a", probability=0.0)
    assert faults.pick("/a") == []
    faults.add("http_error", path="/a*", probability=1.0)
    assert [f.kind for f in faults.pick("/abc")] == ["http_error"]
    with pytest.raises(ValueError, match="kind"):
        Fault(kind="explode")  # type: ignore[arg-type]


def test_scripted_sequence_drives_client_retries(emulator):
    emulator.faults.sequence(
        "/member/list",
        [
            {"kind": "http_error", "status": 503},
            {"kind": "rate_limit", "retry_after": 1},
            None,
        ],
    )
    with FlashcatClient(emulator.app_key, base_url=emulator.url, max_retries=3) as client:
        data = client.request("/member/list", {})
    assert len(data["items"]) == 20
    statuses = [e.status for e in emulator.request_log.for_path("/member/list")]
    assert statuses == [503, 429, 200]
    gap = [e.time for e in emulator.request_log.for_path("/member/list")]
    assert gap[2] - gap[1] >= 1.0  # the client honoured Retry-After


def test_client_sees_typed_errors_from_faults(emulator):
    emulator.faults.add("http_error", path="/team/list", status=500)
    emulator.faults.add("rate_limit", path="/member/list")
    emulator.faults.add("drop", path="/channel/list")
    with FlashcatClient(emulator.app_key, base_url=emulator.url, max_retries=0) as client:
        with pytest.raises(InternalError):
            client.request("/team/list", {})
        with pytest.raises(RequestTooFrequentlyError):
            client.request("/member/list", {})
        with pytest.raises(FlashcatTransportError):
            client.request("/channel/list", {})


# -- control routes and the request log ------------------------------------------------------


def test_control_routes(emulator):
    unauthorized = httpx.get(emulator.url + "/_emulator/info")
    assert unauthorized.status_code == 401
    added = post(
        emulator,
        "/_emulator/faults/add",
        {"kind": "http_error", "path": "/team/list", "status": 502, "times": 1},
    )
    assert added.json()["data"]["status"] == 502
    assert post(emulator, "/team/list").status_code == 502
    assert post(emulator, "/_emulator/faults/add", {"kind": "bogus"}).status_code == 400

    post(emulator, "/incident/create", {"incident_severity": "Info", "title": "temporary"})
    log = httpx.get(
        emulator.url + "/_emulator/requests", params={"app_key": emulator.app_key}
    ).json()["data"]
    assert log["counts"]["/team/list"] == 1 and log["counts"]["/incident/create"] == 1
    assert all("app_key" not in str(entry) for entry in log["entries"])

    before = emulator.state.incidents.size
    info = post(emulator, "/_emulator/reset", {"seed": "empty"}).json()["data"]
    assert info["seed"] == "empty" and emulator.state.incidents.size == 0 < before
    assert emulator.request_log.count() == 0
    assert post(emulator, "/team/list").json()["data"]["items"] == []
    post(emulator, "/_emulator/reset", {"seed": "demo"})
    assert post(emulator, "/team/list").json()["data"]["total"] == 5


def test_request_log_proves_nothing_was_sent(emulator):
    assert emulator.request_log.count() == 0
    post(emulator, "/team/list")
    assert emulator.request_log.count() == 1
    assert emulator.request_log.counts == {"/team/list": 1}


def test_control_routes_refuse_bad_bodies_with_the_field_named(emulator):
    no_path = post(emulator, "/_emulator/faults/sequence", {"steps": ["drop"]})
    assert no_path.status_code == 400
    assert no_path.json()["error"]["message"].startswith("path: required")
    not_an_object = httpx.post(
        emulator.url + "/_emulator/faults/add",
        params={"app_key": emulator.app_key},
        json=["latency"],
    )
    assert not_an_object.status_code == 400
    assert not_an_object.json()["error"]["code"] == "InvalidParameter"
    assert len(emulator.faults) == 0


@pytest.mark.parametrize(
    ("fields", "named"),
    [
        ({"kind": "http_error", "status": 9999}, "status"),
        ({"kind": "http_error", "status": "500\r\nX: y"}, "status"),
        ({"kind": "rate_limit", "retry_after": "1\r\nSet-Cookie: a=b"}, "retry_after"),
        ({"kind": "rate_limit", "retry_after": -1}, "retry_after"),
        ({"kind": "latency", "seconds": 1e9}, "seconds"),
    ],
)
def test_control_routes_refuse_bad_fault_fields(emulator, fields, named):
    answer = post(emulator, "/_emulator/faults/add", fields)
    assert answer.status_code == 400
    assert answer.json()["error"]["message"].startswith(named)
    assert len(emulator.faults) == 0


def test_a_refused_reset_leaves_the_account_and_later_resets_working(emulator):
    teams = post(emulator, "/team/list").json()["data"]["total"]
    for bad in ({"incidents": "many"}, {"incidents": -1}, {"seed_number": "x"}, {"now": "noon"}):
        refused = post(emulator, "/_emulator/reset", bad)
        assert refused.status_code == 400
        assert refused.json()["error"]["message"].startswith(next(iter(bad)))
    assert post(emulator, "/team/list").json()["data"]["total"] == teams
    assert post(emulator, "/_emulator/reset", {}).status_code == 200
    assert emulator.state.incident_target is None
