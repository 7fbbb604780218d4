"""FlashcatClient against a real HTTP server on loopback: envelope, errors, retries, call()."""

from __future__ import annotations

import pickle

import pytest

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
from tests import fake_api
from tests.fake_api import CLIENT_TIMEOUT, LATE, FakeFlashduty, Reply, error_body, free_port

# The fixtures live in tests/fake_api.py; pytest finds them as attributes of this module.
fake_server, fake, new_key = fake_api.fake_server, fake_api.fake, fake_api.new_key

INCIDENT_ID = "0123456789abcdef01234567"


def client_for(fake: FakeFlashduty, key: str, **settings: object) -> FlashcatClient:
    return FlashcatClient(key, base_url=fake.url, **settings)  # type: ignore[arg-type]


def test_returns_data_and_sends_key_and_headers(fake: FakeFlashduty, new_key: str) -> None:
    with client_for(fake, new_key, accept_language="en-US") as client:
        data = client.request("/echo", {"hello": "world"})
    assert data == {"body": {"hello": "world"}, "query": {"app_key": new_key}}
    (seen,) = fake.requests_to("/echo")
    assert seen.method == "POST"
    assert seen.headers["user-agent"] == f"flashcat-prefect/{__version__}"
    assert seen.headers["accept-language"] == "en-US"
    assert seen.headers["content-type"] == "application/json"


def test_request_accepts_a_request_model(fake: FakeFlashduty, new_key: str) -> None:
    model = get_endpoint("/member/list").request_model(limit=3, orderby="created_at")
    with client_for(fake, new_key) as client:
        page = client.request("/member/list", model)
    assert len(page["items"]) == 3
    assert fake.requests_to("/member/list")[0].body == {"limit": 3, "orderby": "created_at"}


def test_429_with_retry_after_is_waited_out_then_succeeds(
    fake: FakeFlashduty, new_key: str
) -> None:
    fake.script(
        "/echo", Reply(429, error_body("RequestTooFrequently"), headers={"Retry-After": "1"})
    )
    with client_for(fake, new_key, max_retries=3) as client:
        data = client.request("/echo", {"n": 1})
    assert data["body"] == {"n": 1}
    first, second = fake.requests_to("/echo")
    assert second.at - first.at >= 1.0


def test_invalid_parameter_raised_at_once_without_retry(fake: FakeFlashduty, new_key: str) -> None:
    fake.script(
        "/echo", Reply(400, error_body("InvalidParameter", "limit must be <= 100", "req-42"))
    )
    with (
        client_for(fake, new_key, max_retries=3) as client,
        pytest.raises(InvalidParameterError) as info,
    ):
        client.request("/echo", {})
    error = info.value
    assert (error.code, error.request_id, error.status, error.path) == (
        "InvalidParameter",
        "req-42",
        400,
        "/echo",
    )
    assert error.message == "limit must be <= 100"
    assert not error.retryable and not is_retryable(error)
    assert "req-42" in str(error) and "InvalidParameter" in str(error)
    assert len(fake.requests_to("/echo")) == 1


def test_error_inside_a_200_is_raised(fake: FakeFlashduty, new_key: str) -> None:
    fake.script("/echo", Reply(200, error_body("AccessDenied", "no permission", "req-7")))
    with client_for(fake, new_key) as client, pytest.raises(FlashcatAPIError) as info:
        client.request("/echo", {})
    assert info.value.code == "AccessDenied" and info.value.status == 200
    assert info.value.request_id == "req-7"


@pytest.mark.parametrize("code", ["", "0", "OK"])
def test_success_codes_inside_error_are_not_errors(
    fake: FakeFlashduty, new_key: str, code: str
) -> None:
    fake.script(
        "/echo", Reply(200, {"request_id": "r", "data": {"fine": True}, "error": {"code": code}})
    )
    with client_for(fake, new_key) as client:
        assert client.request("/echo", {}) == {"fine": True}


def test_request_id_falls_back_to_the_header(fake: FakeFlashduty, new_key: str) -> None:
    fake.script(
        "/echo",
        Reply(
            403,
            {"error": {"code": "AccessDenied", "message": "no"}},
            headers={"Flashcat-Request-Id": "hdr-1"},
        ),
    )
    with client_for(fake, new_key) as client, pytest.raises(FlashcatAPIError) as info:
        client.request("/echo", {})
    assert info.value.request_id == "hdr-1"


def test_bad_key_is_unauthorized_and_not_retried(fake: FakeFlashduty) -> None:
    with (
        client_for(fake, "sentinel-unknown-key", max_retries=3) as client,
        pytest.raises(UnauthorizedError) as info,
    ):
        client.request("/echo", {})
    assert info.value.status == 401 and not info.value.retryable
    assert len(fake.requests_to("/echo")) == 1


def test_unknown_codes_are_classified_by_status(fake: FakeFlashduty, new_key: str) -> None:
    fake.script(
        "/member/list",
        Reply(503, error_body("BrandNewOutage")),
        Reply(418, error_body("Teapot", "short and stout")),
    )
    # 503 with an unknown code is a ServiceUnavailableError, retried once; then the 418.
    with (
        client_for(fake, new_key, max_retries=1) as client,
        pytest.raises(FlashcatAPIError) as info,
    ):
        client.request("/member/list", {})
    assert type(info.value) is FlashcatAPIError
    assert (info.value.code, info.value.status) == ("Teapot", 418)
    assert len(fake.requests_to("/member/list")) == 2


def test_server_errors_are_retried_until_max_retries(fake: FakeFlashduty, new_key: str) -> None:
    fake.script("/member/list", *[Reply(500, error_body("InternalError", "boom", "req-500"))] * 3)
    with client_for(fake, new_key, max_retries=2) as client, pytest.raises(InternalError) as info:
        client.request("/member/list", {})
    assert info.value.retryable and is_retryable(info.value)
    assert len(fake.requests_to("/member/list")) == 3


def test_writes_are_not_resent_after_a_500_but_are_after_a_429_or_503(
    fake: FakeFlashduty, new_key: str
) -> None:
    ack = get_endpoint("/incident/ack")
    assert ack.writes
    with client_for(fake, new_key, max_retries=3) as client:
        fake.script(ack.path, Reply(500, error_body("InternalError")))
        with pytest.raises(InternalError):
            client.call(ack, incident_ids=[INCIDENT_ID])
        assert len(fake.requests_to(ack.path)) == 1
        fake.script(
            ack.path,
            Reply(429, error_body("RequestTooFrequently"), headers={"Retry-After": "0"}),
            Reply(503, error_body("ServiceUnavailable")),
        )
        assert client.call(ack, incident_ids=[INCIDENT_ID]) is None
    assert len(fake.requests_to(ack.path)) == 4


def test_rate_limited_error_carries_retry_after(fake: FakeFlashduty, new_key: str) -> None:
    fake.script(
        "/echo", Reply(429, error_body("RequestTooFrequently"), headers={"Retry-After": "0"})
    )
    with (
        client_for(fake, new_key, max_retries=0) as client,
        pytest.raises(RequestTooFrequentlyError) as info,
    ):
        client.request("/echo", {})
    assert info.value.retry_after == 0.0 and info.value.retryable


def test_unreadable_body_from_a_gateway_is_retried(fake: FakeFlashduty, new_key: str) -> None:
    fake.script(
        "/member/list",
        Reply(502, raw="<html>bad gateway</html>"),
        Reply(502, raw="<html>bad gateway</html>"),
    )
    with client_for(fake, new_key, max_retries=2) as client:
        page = client.request("/member/list", {"limit": 5})
    assert len(page["items"]) == 5
    assert len(fake.requests_to("/member/list")) == 3


def test_unreadable_200_body_is_a_retryable_transport_error(
    fake: FakeFlashduty, new_key: str
) -> None:
    fake.script("/member/list", *[Reply(200, raw="not json")] * 2)
    with (
        client_for(fake, new_key, max_retries=1) as client,
        pytest.raises(FlashcatTransportError) as info,
    ):
        client.request("/member/list", {})
    assert info.value.path == "/member/list" and info.value.status == 200
    assert info.value.retryable
    assert len(fake.requests_to("/member/list")) == 2, "the read was asked for again"


def test_read_timeout_is_retried_for_reads_not_for_writes(
    fake: FakeFlashduty, new_key: str
) -> None:
    with client_for(fake, new_key, max_retries=2, timeout=CLIENT_TIMEOUT) as client:
        fake.script("/member/list", Reply(delay=LATE))
        assert len(client.request("/member/list", {"limit": 2})["items"]) == 2
        assert len(fake.requests_to("/member/list")) == 2

        fake.script("/incident/ack", Reply(delay=LATE))
        with pytest.raises(FlashcatTransportError) as info:
            client.call(get_endpoint("/incident/ack"), incident_ids=[INCIDENT_ID])
    assert "timed out" in str(info.value) and info.value.path == "/incident/ack"
    assert info.value.retryable and info.value.reached_server
    assert len(fake.requests_to("/incident/ack")) == 1


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


def test_call_validates_before_sending(fake: FakeFlashduty, new_key: str) -> None:
    with client_for(fake, new_key) as client, pytest.raises(FlashcatValidationError) as info:
        client.members.list(limit=1000, orderby="nonsense")
    fields = {field for field, _ in info.value.problems}
    assert fields == {"limit", "orderby"}
    assert "limit" in str(info.value) and "less_than_equal" in str(info.value)
    assert isinstance(info.value, ValueError)
    assert fake.seen == []


def test_call_parses_the_response_model(fake: FakeFlashduty, new_key: str) -> None:
    with client_for(fake, new_key) as client:
        page = client.members.list(limit=2)
    assert [item.member_id for item in page.items] == [1000, 1001]
    assert page.has_next_page is True


def test_csv_export_comes_back_as_text(fake: FakeFlashduty, new_key: str) -> None:
    with client_for(fake, new_key) as client:
        text = client.insights.export_incidents(start_time=1, end_time=2)
    assert isinstance(text, str)
    assert text.splitlines()[0] == "incident_id,title" and len(text.splitlines()) == 4


def test_get_endpoints_send_query_parameters(fake: FakeFlashduty, new_key: str) -> None:
    with client_for(fake, new_key) as client:
        data = client.request("/incident/post-mortem/info", {"post_mortem_id": "ab" * 16})
    (seen,) = fake.requests_to("/incident/post-mortem/info")
    assert seen.method == "GET" and seen.query["post_mortem_id"] == "ab" * 16
    assert data["query"]["post_mortem_id"] == "ab" * 16


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
