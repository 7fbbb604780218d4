"""FlashcatClient against the emulator over loopback: envelope, errors, retries, call().

Faults come from the emulator's fault injection; respx stands in only for answers the
emulator never gives (a success code inside ``error``, no request id in the body, an HTML
page from a gateway)."""

from __future__ import annotations

import pickle

import httpx
import pytest
import respx

from flashcat_prefect import FlashcatClient, __version__
from flashcat_prefect.api import get_endpoint
from flashcat_prefect.client import (
    FlashcatAPIError,
    FlashcatTransportError,
    FlashcatValidationError,
    InternalError,
    InvalidParameterError,
    RequestTooFrequentlyError,
    ServiceUnavailableError,
    UnauthorizedError,
    is_retryable,
)
from tests.loopback import CLIENT_TIMEOUT, LATE, Wire, free_port

MOCK_URL = "http://flashduty.test"


def client_for(wire: Wire, **settings: object) -> FlashcatClient:
    return FlashcatClient(wire.app_key, base_url=wire.url, **settings)  # type: ignore[arg-type]


def test_returns_data_and_sends_key_and_headers(wire: Wire) -> None:
    with client_for(wire, accept_language="en-US") as client:
        data = client.request("/member/list", {"limit": 2})
    assert [item["member_id"] for item in data["items"]] == [101, 102]
    (seen,) = wire.requests_to("/member/list")
    assert seen.method == "POST"
    assert seen.query == {"app_key": wire.app_key}
    assert seen.body == {"limit": 2}
    assert seen.headers["user-agent"] == f"flashcat-prefect/{__version__}"
    assert seen.headers["accept-language"] == "en-US"
    assert seen.headers["content-type"] == "application/json"


def test_request_accepts_a_request_model(wire: Wire) -> None:
    model = get_endpoint("/member/list").request_model(limit=3, orderby="created_at")
    with client_for(wire) as client:
        page = client.request("/member/list", model)
    assert len(page["items"]) == 3
    assert wire.requests_to("/member/list")[0].body == {"limit": 3, "orderby": "created_at"}


def test_429_with_retry_after_is_waited_out_then_succeeds(wire: Wire) -> None:
    wire.app.faults.add("rate_limit", path="/member/list", retry_after=1, times=1)
    with client_for(wire, max_retries=3) as client:
        data = client.request("/member/list", {"limit": 1})
    assert len(data["items"]) == 1
    first, second = wire.requests_to("/member/list")
    assert first.body == second.body == {"limit": 1}
    assert second.at - first.at >= 1.0


def test_invalid_parameter_raised_at_once_without_retry(wire: Wire) -> None:
    wire.app.faults.add(
        "http_error",
        path="/member/list",
        status=400,
        code="InvalidParameter",
        message="limit must be <= 100",
    )
    with (
        client_for(wire, max_retries=3) as client,
        pytest.raises(InvalidParameterError) as info,
    ):
        client.request("/member/list", {})
    error = info.value
    request_id = wire.request_id("/member/list")
    assert (error.code, error.request_id, error.status, error.path) == (
        "InvalidParameter",
        request_id,
        400,
        "/member/list",
    )
    assert error.message == "limit must be <= 100"
    assert not error.retryable and not is_retryable(error)
    assert request_id in str(error) and "InvalidParameter" in str(error)
    assert len(wire.requests_to("/member/list")) == 1


def test_error_inside_a_200_is_raised(wire: Wire) -> None:
    wire.app.faults.add(
        "error_in_200", path="/member/list", code="AccessDenied", message="no permission"
    )
    with client_for(wire) as client, pytest.raises(FlashcatAPIError) as info:
        client.request("/member/list", {})
    assert info.value.code == "AccessDenied" and info.value.status == 200
    assert info.value.request_id == wire.request_id("/member/list")


@pytest.mark.parametrize("code", ["", "0", "OK"])
def test_success_codes_inside_error_are_not_errors(code: str) -> None:
    # The emulator never sends a success code inside ``error``; other servers do.
    with respx.mock(assert_all_called=True) as mock:
        mock.post(f"{MOCK_URL}/member/list").respond(
            200, json={"request_id": "r", "data": {"fine": True}, "error": {"code": code}}
        )
        with FlashcatClient("sentinel-key", base_url=MOCK_URL) as client:
            assert client.request("/member/list", {}) == {"fine": True}


def test_request_id_falls_back_to_the_header() -> None:
    # The emulator always puts the request id in the body; a proxy's answer may not.
    with respx.mock(assert_all_called=True) as mock:
        mock.post(f"{MOCK_URL}/member/list").respond(
            403,
            json={"error": {"code": "AccessDenied", "message": "no"}},
            headers={"Flashcat-Request-Id": "hdr-1"},
        )
        with (
            FlashcatClient("sentinel-key", base_url=MOCK_URL) as client,
            pytest.raises(FlashcatAPIError) as info,
        ):
            client.request("/member/list", {})
    assert info.value.request_id == "hdr-1"


def test_bad_key_is_unauthorized_and_not_retried(wire: Wire) -> None:
    with (
        FlashcatClient("sentinel-unknown-key", base_url=wire.url, max_retries=3) as client,
        pytest.raises(UnauthorizedError) as info,
    ):
        client.request("/member/list", {})
    assert info.value.status == 401 and not info.value.retryable
    assert len(wire.requests_to("/member/list")) == 1


def test_unknown_codes_are_classified_by_status(wire: Wire) -> None:
    wire.app.faults.sequence(
        "/member/list",
        [
            {"kind": "http_error", "status": 503, "code": "BrandNewOutage"},
            {"kind": "http_error", "status": 418, "code": "Teapot", "message": "short and stout"},
        ],
    )
    # 503 with an unknown code is a ServiceUnavailableError, retried once; then the 418.
    with (
        client_for(wire, max_retries=1) as client,
        pytest.raises(FlashcatAPIError) as info,
    ):
        client.request("/member/list", {})
    assert type(info.value) is FlashcatAPIError
    assert (info.value.code, info.value.status) == ("Teapot", 418)
    assert len(wire.requests_to("/member/list")) == 2


def test_server_errors_are_retried_until_max_retries(wire: Wire) -> None:
    wire.app.faults.add("http_error", path="/member/list", status=500, code="InternalError")
    with client_for(wire, max_retries=2) as client, pytest.raises(InternalError) as info:
        client.request("/member/list", {})
    assert info.value.retryable and is_retryable(info.value)
    assert len(wire.requests_to("/member/list")) == 3


def test_writes_are_not_resent_after_a_500_but_are_after_a_429_or_503(wire: Wire) -> None:
    ack = get_endpoint("/incident/ack")
    assert ack.writes
    incident_id = wire.open_incident()
    with client_for(wire, max_retries=3) as client:
        wire.app.faults.add("http_error", path=ack.path, status=500, times=1)
        with pytest.raises(InternalError):
            client.call(ack, incident_ids=[incident_id])
        assert len(wire.requests_to(ack.path)) == 1
        wire.app.faults.sequence(
            ack.path,
            [{"kind": "rate_limit", "retry_after": 0}, {"kind": "http_error", "status": 503}],
        )
        assert client.call(ack, incident_ids=[incident_id]) is None
    assert len(wire.requests_to(ack.path)) == 4


def test_rate_limited_error_carries_retry_after(wire: Wire) -> None:
    wire.app.faults.add("rate_limit", path="/member/list", retry_after=0)
    with (
        client_for(wire, max_retries=0) as client,
        pytest.raises(RequestTooFrequentlyError) as info,
    ):
        client.request("/member/list", {})
    assert info.value.retry_after == 0.0 and info.value.retryable


def test_unreadable_body_from_a_gateway_is_retried() -> None:
    # An HTML page from a proxy in front of the API: the emulator is never behind one.
    page = {"request_id": "r", "data": {"items": [{"member_id": 1}] * 5, "total": 5}}
    with respx.mock(assert_all_called=True) as mock:
        route = mock.post(f"{MOCK_URL}/member/list")
        route.side_effect = [
            httpx.Response(502, text="<html>bad gateway</html>"),
            httpx.Response(502, text="<html>bad gateway</html>"),
            httpx.Response(200, json=page),
        ]
        with FlashcatClient("sentinel-key", base_url=MOCK_URL, max_retries=2) as client:
            answer = client.request("/member/list", {"limit": 5})
    assert len(answer["items"]) == 5
    assert route.call_count == 3


def test_unreadable_200_body_is_a_retryable_transport_error(wire: Wire) -> None:
    wire.app.faults.add("malformed", path="/member/list")
    with (
        client_for(wire, max_retries=1) as client,
        pytest.raises(FlashcatTransportError) as info,
    ):
        client.request("/member/list", {})
    assert info.value.path == "/member/list" and info.value.status == 200
    assert info.value.retryable
    assert len(wire.requests_to("/member/list")) == 2, "the read was asked for again"


def test_read_timeout_is_retried_for_reads_not_for_writes(wire: Wire) -> None:
    incident_id = wire.open_incident()
    with client_for(wire, max_retries=2, timeout=CLIENT_TIMEOUT) as client:
        wire.app.faults.add("latency", path="/member/list", seconds=LATE, times=1)
        assert len(client.request("/member/list", {"limit": 2})["items"]) == 2
        assert len(wire.requests_to("/member/list")) == 2

        wire.app.faults.add("latency", path="/incident/ack", seconds=LATE, times=1)
        with pytest.raises(FlashcatTransportError) as info:
            client.call(get_endpoint("/incident/ack"), incident_ids=[incident_id])
    assert "timed out" in str(info.value) and info.value.path == "/incident/ack"
    assert info.value.retryable and info.value.reached_server
    assert len(wire.requests_to("/incident/ack")) == 1


def test_connection_refused_is_a_retryable_transport_error() -> None:
    with (
        FlashcatClient(
            "sentinel-nowhere", base_url=f"http://127.0.0.1:{free_port()}", max_retries=0
        ) as client,
        pytest.raises(FlashcatTransportError) as info,
    ):
        client.request("/member/list", {})
    assert info.value.retryable and info.value.path == "/member/list"
    assert not info.value.reached_server  # so a write may be resent safely


def test_call_validates_before_sending(wire: Wire) -> None:
    with client_for(wire) as client, pytest.raises(FlashcatValidationError) as info:
        client.members.list(limit=1000, orderby="nonsense")
    fields = {field for field, _ in info.value.problems}
    assert fields == {"limit", "orderby"}
    assert "limit" in str(info.value) and "less_than_equal" in str(info.value)
    assert isinstance(info.value, ValueError)
    assert wire.seen == []


def test_call_parses_the_response_model(wire: Wire) -> None:
    with client_for(wire) as client:
        page = client.members.list(limit=2)
    assert [item.member_id for item in page.items] == [101, 102]
    assert page.has_next_page is True


def test_csv_export_comes_back_as_text(wire: Wire) -> None:
    now = wire.app.state.now
    with client_for(wire) as client:
        text = client.insights.export_incidents(start_time=now - 3600, end_time=now)
    assert isinstance(text, str)
    header, *rows = text.splitlines()
    assert header.startswith("incident_id,title,") and rows
    assert all(len(row.split(",")[0]) == 24 for row in rows)


def test_get_endpoints_send_query_parameters(wire: Wire) -> None:
    with client_for(wire) as client, pytest.raises(FlashcatAPIError) as info:
        client.request("/incident/post-mortem/info", {"post_mortem_id": "ab" * 16})
    (seen,) = wire.requests_to("/incident/post-mortem/info")
    assert seen.method == "GET" and seen.query["post_mortem_id"] == "ab" * 16
    assert seen.body is None
    # the server read the id from the query: it names it as the one it could not find
    assert info.value.code == "ResourceNotFound" and "ab" * 16 in info.value.message


def test_bad_settings_are_refused_naming_the_field() -> None:
    with pytest.raises(FlashcatValidationError, match="max_retries"):
        FlashcatClient("some-key", max_retries=-1)
    with pytest.raises(FlashcatValidationError, match="requests_per_second"):
        FlashcatClient("some-key", requests_per_second=0)
    with pytest.raises(FlashcatValidationError, match="app_key"):
        FlashcatClient("")


@pytest.mark.parametrize(
    ("setting", "value"),
    [
        ("timeout", "5"),
        ("timeout", None),
        ("timeout", 0),
        ("max_retries", True),
        ("requests_per_minute", 2.5),
        ("accept_language", 5),
    ],
)
def test_settings_of_the_wrong_type_are_refused_naming_the_field(
    setting: str, value: object
) -> None:
    with pytest.raises(FlashcatValidationError) as info:
        FlashcatClient("some-key", **{setting: value})  # type: ignore[arg-type]
    assert [field for field, _ in info.value.problems] == [setting]
    assert setting in str(info.value)


def test_unknown_and_malformed_settings_are_refused_naming_the_field() -> None:
    with pytest.raises(FlashcatValidationError, match=r"timout.*unknown setting") as info:
        FlashcatClient("some-key", timout=5)  # type: ignore[call-arg]
    assert [field for field, _ in info.value.problems] == ["timout"]
    with pytest.raises(FlashcatValidationError, match=r"base_url.*http"):
        FlashcatClient("some-key", base_url="api.flashcat.cloud")
    with pytest.raises(FlashcatValidationError, match="pacing"):
        FlashcatClient("some-key", pacing="everywhere")  # type: ignore[arg-type]


def test_errors_survive_pickling() -> None:
    error = RequestTooFrequentlyError(
        "RequestTooFrequently", "slow down", request_id="r1", status=429, path="/x", retry_after=2.0
    )
    copy = pickle.loads(pickle.dumps(error))
    assert (type(copy), copy.code, copy.request_id, copy.status, copy.path, copy.retry_after) == (
        RequestTooFrequentlyError,
        "RequestTooFrequently",
        "r1",
        429,
        "/x",
        2.0,
    )
    assert str(copy) == str(error)
    lost = pickle.loads(pickle.dumps(FlashcatTransportError("x", path="/p", reached_server=False)))
    assert (lost.path, lost.reached_server, lost.retryable) == ("/p", False, True)
    unavailable = pickle.loads(
        pickle.dumps(ServiceUnavailableError("ServiceUnavailable", "down", status=503))
    )
    assert unavailable.retryable
