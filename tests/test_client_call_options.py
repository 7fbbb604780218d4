"""Per-call options of every client method and task (``extra_body``, ``timeout``), the typed
keyword parameters with their "not given" marker, misspelt fields, and the envelope details
the client decodes (case of the success code, ``error.reason``, non-JSON 2xx bodies)."""

from __future__ import annotations

import inspect

import httpx
import pytest
import respx
from prefect import flow

from flashcat_prefect import FlashcatClient, FlashcatCredentials
from flashcat_prefect.api import CATALOG
from flashcat_prefect.api.unset import UNSET, given_fields
from flashcat_prefect.client import AsyncFlashcatClient
from flashcat_prefect.client._core import FlashcatUndecodableAnswerError
from flashcat_prefect.client.errors import (
    FlashcatAPIError,
    FlashcatTransportError,
    FlashcatValidationError,
)
from flashcat_prefect.tasks import list_incidents, list_members
from tests.loopback import Wire

MOCK_URL = "http://flashduty.test"

HTTP = [e for e in CATALOG if e.is_http]


def test_every_method_and_task_takes_the_call_options_and_typed_fields():
    import importlib

    client = FlashcatClient("unused-key", base_url="http://127.0.0.1:9")
    aclient = AsyncFlashcatClient("unused-key", base_url="http://127.0.0.1:9")
    missing = []
    for endpoint in HTTP:
        wire = {
            info.alias or name: name for name, info in endpoint.request_model.model_fields.items()
        }
        module = importlib.import_module(endpoint.task.rpartition(".")[0])
        callables = [
            getattr(getattr(client, endpoint.area), endpoint.name),
            getattr(getattr(aclient, endpoint.area), endpoint.name),
            getattr(module, endpoint.task_name).fn,
            getattr(module, endpoint.atask_name).fn,
        ]
        for fn in callables:
            params = inspect.signature(fn).parameters
            expected = {"extra_body", "timeout", *wire.values()}
            keyword_only = {n for n, p in params.items() if p.kind is p.KEYWORD_ONLY}
            if not expected <= keyword_only:
                missing.append(
                    f"{endpoint.path} {fn.__qualname__}: {sorted(expected - keyword_only)}"
                )
            elif any(params[name].default is not UNSET for name in wire.values()):
                missing.append(f"{endpoint.path} {fn.__qualname__}: a field defaults to not UNSET")
    assert not missing, missing[:10]


def test_given_fields_keeps_none_apart_from_unset():
    scope = {
        "self": object(),
        "body": None,
        "timeout": 3.0,
        "extra_body": None,
        "a": UNSET,
        "b": None,
        "c": 0,
        "unknown_fields": {"zz": 1},
    }
    assert given_fields(scope) == {"b": None, "c": 0, "zz": 1}


def test_extra_body_reaches_the_server_after_validation(wire: Wire):
    with FlashcatClient(wire.app_key, base_url=wire.url) as client:
        client.members.list(limit=5, extra_body={"beta_filter": "x"})
        with pytest.raises(FlashcatValidationError, match="limit"):
            client.members.list(limit=500, extra_body={"beta_filter": "x"})
    (seen,) = wire.requests_to("/member/list")
    assert seen.body == {"limit": 5, "beta_filter": "x"}
    (logged,) = wire.app.request_log.for_path("/member/list")
    assert logged.ignored == ("beta_filter",)  # sent; the server skips what it does not know


def test_a_misspelt_field_fails_before_sending_naming_the_closest_field(emulator):
    with emulator.credentials().get_client() as client:
        with pytest.raises(FlashcatValidationError) as info:
            client.incidents.list(start_tme=1, end_time=2)  # type: ignore[arg-type]
        with pytest.raises(FlashcatValidationError, match="did you mean 'incident_ids'"):
            client.incidents.ack({"incident_idz": ["0123456789abcdef01234567"]})
        nested = {"cal_name": "x", "workdays": [1], "extra": {"time_zone": "UTC"}}
        with pytest.raises(FlashcatValidationError, match="workdays"):
            client.calendars.create(nested, workdays=[7])
    assert "start_tme" in str(info.value) and "did you mean 'start_time'" in str(info.value)
    assert "extra_body" in str(info.value)
    assert emulator.request_log.count("/incident/list") == 0
    assert emulator.request_log.count("/incident/ack") == 0


def test_extra_body_may_not_carry_the_key(emulator):
    with (
        emulator.credentials().get_client() as client,
        pytest.raises(FlashcatValidationError, match=r"extra_body\.app_key"),
    ):
        client.members.list(extra_body={"app_key": "x"})


def test_tasks_take_typed_fields_extra_body_and_timeout(wire: Wire):
    credentials = FlashcatCredentials(app_key=wire.app_key, base_url=wire.url)
    now = wire.app.state.now

    @flow
    def read() -> tuple[object, object]:
        members = list_members(credentials, limit=1, timeout=20.0, extra_body={"beta_filter": 1})
        page = list_incidents(credentials, start_time=now - 86_400, end_time=now, limit=2)
        return members, page

    members, page = read()
    assert len(members.items) == 1 and len(page.items) == 2
    (seen,) = wire.requests_to("/member/list")
    assert seen.body == {"limit": 1, "beta_filter": 1}


def test_a_misspelt_task_field_fails_before_sending(emulator, credentials):
    @flow
    def misspelt() -> object:
        return list_incidents(credentials, start_tme=1, end_time=2)  # type: ignore[arg-type]

    with pytest.raises(FlashcatValidationError, match="did you mean 'start_time'"):
        misspelt()
    assert emulator.request_log.count("/incident/list") == 0


def test_per_call_timeout_bounds_one_call(wire: Wire):
    wire.app.faults.add("latency", path="/member/list", seconds=1.0, times=2)
    client = FlashcatClient(wire.app_key, base_url=wire.url, max_retries=0, timeout=30)
    with client, pytest.raises(FlashcatTransportError, match="timed out"):
        client.members.list(timeout=0.2)
    client = FlashcatClient(wire.app_key, base_url=wire.url)
    with client, pytest.raises(FlashcatValidationError, match="timeout"):
        client.members.list(timeout=0)


# The emulator answers only "" as the success code, never an error ``reason`` nor an HTML
# page: these answers of other servers are mocked with respx.


def test_success_code_matches_whatever_its_case():
    with respx.mock(assert_all_called=True) as mock:
        mock.post(f"{MOCK_URL}/member/list").respond(
            json={"request_id": "r", "error": {"code": "ok"}, "data": {"items": [], "total": 0}}
        )
        with FlashcatClient("sentinel-key", base_url=MOCK_URL) as client:
            assert client.members.list().total == 0


def test_error_reason_is_kept():
    error = {"code": "InvalidParameter", "message": "bad", "reason": "limit out of range"}
    with respx.mock(assert_all_called=True) as mock:
        mock.post(f"{MOCK_URL}/member/list").respond(400, json={"request_id": "r", "error": error})
        with (
            FlashcatClient("sentinel-key", base_url=MOCK_URL) as client,
            pytest.raises(FlashcatAPIError) as info,
        ):
            client.members.list()
    assert info.value.reason == "limit out of range"
    assert "limit out of range" in str(info.value)


def test_a_non_json_2xx_answer_says_what_arrived_without_the_key():
    key = "sentinel-app-0123456789abcdef"
    with respx.mock(assert_all_called=True) as mock:
        mock.post(f"{MOCK_URL}/member/list").mock(
            return_value=httpx.Response(
                200,
                text=f"<html>maintenance {key}</html>",
                headers={"content-type": "text/html"},
            )
        )
        client = FlashcatClient(key, base_url=MOCK_URL, max_retries=0)
        with client, pytest.raises(FlashcatUndecodableAnswerError) as info:
            client.members.list()
    text = str(info.value)
    assert "text/html" in text and "<html>maintenance" in text
    assert key not in text
