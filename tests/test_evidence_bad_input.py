"""Bad input never leaves the machine: property tests over task, client and flow parameters.

Every invalid value must raise a validation error that names the field (and, for endpoint
calls, the rule), and the emulator's request log must stay empty: nothing was sent.

Endpoint inputs are broken generically from each request model's JSON schema (a value of
the wrong type, out of range, outside an enum, not matching a pattern, too long, or a field
the endpoint does not have), across the whole catalog. Flow parameters are broken by hand
per flow, since their rules live in each flow's own checks.
"""

from __future__ import annotations

import asyncio
import copy
import datetime as dt
import importlib
import re
import string
from pathlib import Path
from typing import Any

import holidays
import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from prefect.settings import PREFECT_API_URL
from typer.testing import CliRunner

from flashcat_prefect.api import CATALOG, constraints
from flashcat_prefect.api.catalog import Endpoint
from flashcat_prefect.cli import build_app
from flashcat_prefect.client import FlashcatClient
from flashcat_prefect.client.errors import FlashcatValidationError
from flashcat_prefect.emulator import FlashcatEmulator
from flashcat_prefect.emulator import seed as demo
from flashcat_prefect.flows import (
    RotationPlan,
    apply_calendar_profile,
    rotate_escalation_rules,
    sync_holiday_calendar,
)
from flashcat_prefect.flows.holiday._sources import MAX_ICS_BYTES, read_ics
from flashcat_prefect.flows.metrics import export_incident_metrics
from flashcat_prefect.flows.rotation._rules import MAX_PLAN_BYTES
from tests.test_calendar_profile_flow import PLAN as PROFILE_PLAN
from tests.test_rotation_flow import THREE_RULES

SETTINGS = {
    "deadline": None,
    "derandomize": False,
    "suppress_health_check": [HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
}
WORDS = st.text(alphabet=string.ascii_letters, min_size=2, max_size=10)
BOOL_WORDS = {"true", "false", "yes", "no", "on", "off", "t", "f", "y", "n", "1", "0"}


# --- breaking one field of a request model ------------------------------------------------


def _plain(schema: dict[str, Any]) -> dict[str, Any]:
    """The non-null branch of an optional field's schema."""
    branches = [b for b in schema.get("anyOf", [schema]) if b.get("type") != "null"]
    return branches[0] if len(branches) == 1 else {}


def violations(schema: dict[str, Any]) -> st.SearchStrategy[Any] | None:
    """Values that break the field ``schema`` (None when we cannot break it for sure)."""
    plain = _plain(schema)
    kind = plain.get("type")
    if "enum" in plain:
        return st.text(max_size=12).filter(lambda v: v not in plain["enum"])
    if kind in ("integer", "number"):
        options = [
            WORDS.filter(lambda v: v.lower() not in ("inf", "nan", "infinity")),
            st.booleans(),
        ]
        if "maximum" in plain:
            options.append(st.integers(1, 10**9).map(lambda n: int(plain["maximum"]) + n))
        if "minimum" in plain:
            options.append(st.integers(1, 10**9).map(lambda n: int(plain["minimum"]) - n))
        return st.one_of(options)
    if kind == "string":
        options = [st.integers(), st.lists(st.integers(), min_size=1, max_size=3)]
        if "pattern" in plain:
            pattern = re.compile(plain["pattern"])
            options.append(st.text(max_size=30).filter(lambda v: not pattern.search(v)))
        if "maxLength" in plain:
            size = int(plain["maxLength"])
            # built, not drawn: Hypothesis refuses text strategies longer than ~64K characters
            options.append(st.integers(1, 5).map(lambda n: "a" * (size + n)))
        return st.one_of(options)
    if kind == "boolean":
        return WORDS.filter(lambda v: v.lower() not in BOOL_WORDS)
    if kind in ("array", "object"):
        return st.integers() | WORDS
    return None


def breakable_fields(endpoint: Endpoint) -> dict[str, dict[str, Any]]:
    schema = endpoint.request_model.model_json_schema()
    return {
        name: prop
        for name, prop in (schema.get("properties") or {}).items()
        if violations(prop) is not None
    }


APP_KEY_JSON_ENDPOINTS = [
    e for e in CATALOG if e.auth == "app_key" and e.content_type == "json" and breakable_fields(e)
]


@st.composite
def broken_call(draw: st.DrawFn, endpoints: list[Endpoint]) -> tuple[Endpoint, str, dict]:
    """An endpoint, the field we break, and a body with only that field (bad) or an unknown
    extra field."""
    endpoint = draw(st.sampled_from(endpoints))
    fields = breakable_fields(endpoint)
    if draw(st.booleans()):
        name = draw(st.sampled_from(sorted(fields)))
        return endpoint, name, {name: draw(violations(fields[name]))}
    unknown = draw(WORDS.map(lambda w: f"x_{w.lower()}").filter(lambda w: w not in fields))
    return endpoint, unknown, {unknown: 1}


def assert_names_the_field(error: Exception, field: str) -> None:
    assert field in str(error), f"{field!r} not named in: {error}"
    if isinstance(error, FlashcatValidationError):
        named = [place for place, _rule in error.problems]
        assert any(place == field or place.startswith(f"{field}.") for place in named), named
        assert all(rule for _place, rule in error.problems), "every problem states its rule"


def test_schema_breaking_covers_most_of_the_catalog():
    """The generator reaches nearly every endpoint (a guard against silently testing few)."""
    json_endpoints = [e for e in CATALOG if e.auth == "app_key" and e.content_type == "json"]
    assert len(APP_KEY_JSON_ENDPOINTS) >= 0.9 * len(json_endpoints) > 100


@settings(max_examples=150, **SETTINGS)
@given(call=broken_call(APP_KEY_JSON_ENDPOINTS))
def test_client_call_refuses_bad_input_before_sending(emulator: FlashcatEmulator, call) -> None:
    endpoint, field, body = call
    emulator.request_log.clear()
    client = FlashcatClient(emulator.app_key, base_url=emulator.url)
    with client, pytest.raises(FlashcatValidationError) as caught:
        client.call(endpoint, body)
    assert_names_the_field(caught.value, field)
    assert emulator.request_log.count() == 0


def task_for(endpoint: Endpoint) -> Any:
    module = importlib.import_module(f"flashcat_prefect.tasks.{endpoint.area}")
    return getattr(module, endpoint.task_name)


@settings(max_examples=12, **SETTINGS)
@given(call=broken_call(APP_KEY_JSON_ENDPOINTS))
def test_endpoint_tasks_refuse_bad_input_before_sending(emulator: FlashcatEmulator, call) -> None:
    endpoint, field, body = call
    emulator.request_log.clear()
    with pytest.raises(FlashcatValidationError) as caught:
        task_for(endpoint)(emulator.credentials(), body)
    assert_names_the_field(caught.value, field)
    assert emulator.request_log.count() == 0


# --- the Python API's own contract: numbers, unix times, time spans, blocks -----------------------


def number_fields(endpoint: Endpoint) -> list[str]:
    """Top-level request fields that take a number (not an enum of numbers)."""
    return [
        name
        for name, prop in breakable_fields(endpoint).items()
        if _plain(prop).get("type") in ("integer", "number") and "enum" not in _plain(prop)
    ]


def unix_seconds_fields(endpoint: Endpoint) -> list[str]:
    """Top-level request fields the API source calls unix seconds (the model checks them)."""
    return [
        field.alias or name
        for name, field in endpoint.request_model.model_fields.items()
        if constraints.unix_seconds in field.metadata
    ]


def refused(client: FlashcatClient, endpoint: Endpoint, body: dict[str, Any]) -> dict[str, str]:
    """The problems (field -> rule) the client names for ``body``; empty when it would send."""
    try:
        endpoint.request_model.model_validate(body)
    except ValueError:  # pydantic ValidationError: the client must refuse it too
        pass
    else:
        return {}
    with pytest.raises(FlashcatValidationError) as caught:
        client.call(endpoint, body)
    return dict(caught.value.problems)


def test_true_or_false_for_a_number_is_refused_everywhere(emulator: FlashcatEmulator) -> None:
    """``limit=True`` is not sent as 1: every number field of every request refuses booleans."""
    emulator.request_log.clear()
    checked = 0
    with FlashcatClient(emulator.app_key, base_url=emulator.url) as client:
        for endpoint in APP_KEY_JSON_ENDPOINTS:
            for field in number_fields(endpoint):
                problems = refused(client, endpoint, {field: True})
                assert problems.get(field, "").startswith("number_not_bool"), (
                    endpoint.path,
                    problems,
                )
                checked += 1
    assert checked > 200 and emulator.request_log.count() == 0


def test_milliseconds_where_the_api_takes_seconds_are_caught(emulator: FlashcatEmulator) -> None:
    now = emulator.state.now
    emulator.request_log.clear()
    checked = []
    with FlashcatClient(emulator.app_key, base_url=emulator.url) as client:
        for endpoint in APP_KEY_JSON_ENDPOINTS:
            for field in unix_seconds_fields(endpoint):
                problems = refused(client, endpoint, {field: now * 1000})
                assert "milliseconds" in problems.get(field, ""), (endpoint.path, field, problems)
                assert field not in refused(client, endpoint, {field: now}), (endpoint.path, field)
                checked.append(endpoint.path)
    assert "/incident/list" in checked and len(checked) >= 30
    assert emulator.request_log.count() == 0


SPAN_PAIRS = (("start_time", "end_time"), ("start", "end"))


@pytest.mark.parametrize(
    "endpoint", [e for e in CATALOG if e.max_span_seconds], ids=lambda e: e.path
)
def test_the_documented_time_span_is_checked_before_sending(
    emulator: FlashcatEmulator, endpoint: Endpoint
) -> None:
    """The span the API documents (31 days for /incident/list) and its order, named both ways."""
    fields = endpoint.request_model.model_json_schema()["properties"]
    start, end = next((a, b) for a, b in SPAN_PAIRS if a in fields and b in fields)
    most = endpoint.max_span_seconds or 0
    begin = emulator.state.now - 2 * most
    emulator.request_log.clear()
    with FlashcatClient(emulator.app_key, base_url=emulator.url) as client:
        too_long = refused(client, endpoint, {start: begin, end: begin + most + 1})
        backwards = refused(client, endpoint, {start: begin, end: begin - 1})
        at_the_limit = refused(client, endpoint, {start: begin, end: begin + most})
    days = most // 86_400
    assert too_long[end].startswith("time_span") and f"{end} - {start}" in too_long[end]
    assert f"at most {days} days" in too_long[end]
    assert f"{end} should not be before {start}" in backwards[end]
    assert end not in at_the_limit, at_the_limit
    assert emulator.request_log.count() == 0


def live_client(emulator: FlashcatEmulator) -> FlashcatClient:
    return emulator.credentials().get_client()


@pytest.mark.parametrize(
    ("make", "kind"),
    [
        (lambda emu: 5, "int"),
        (lambda emu: emu.app_key, "str"),
        (live_client, "FlashcatClient"),
        (lambda emu: emu.integration(demo.DEFAULT_CHANNEL_ID), "FlashcatIntegration"),
    ],
    ids=["int", "the app key as a string", "a live client", "the other kind of block"],
)
def test_tasks_and_flows_name_the_credentials_parameter_of_a_wrong_type(
    emulator: FlashcatEmulator, make: Any, kind: str
) -> None:
    from flashcat_prefect.tasks.incidents import alist_incidents, list_incidents

    wrong = make(emulator)
    now = emulator.state.now
    emulator.request_log.clear()
    calls = [
        lambda: list_incidents(wrong, start_time=now - 3600, end_time=now),
        lambda: asyncio.run(alist_incidents(wrong, start_time=now - 3600, end_time=now)),
    ]
    if kind != "str":  # flows read a string as the name of a saved block
        calls.append(
            lambda: sync_holiday_calendar(wrong, cal_id=demo.HOLIDAY_CALENDAR_ID, country="CN")
        )
    for call in calls:
        with pytest.raises(
            TypeError, match=rf"^credentials: expected a FlashcatCredentials block, not {kind} "
        ) as caught:
            call()
        assert emulator.app_key not in str(caught.value)
    assert emulator.request_log.count() == 0


def test_an_event_task_names_its_integration_parameter(emulator: FlashcatEmulator) -> None:
    from flashcat_prefect.tasks.events import push_alert_event

    emulator.request_log.clear()
    with pytest.raises(
        TypeError,
        match=r"^integration: expected a FlashcatIntegration block, not FlashcatCredentials",
    ):
        push_alert_event(emulator.credentials(), event_status="Info", title_rule="x")
    assert emulator.request_log.count() == 0


def test_keyword_fields_of_a_task_are_checked_like_bodies(emulator: FlashcatEmulator) -> None:
    from flashcat_prefect.tasks.incidents import list_incidents

    now = emulator.state.now
    credentials = emulator.credentials()
    emulator.request_log.clear()
    cases = {
        "limit": dict(start_time=now - 3600, end_time=now, limit=True),
        "start_time": dict(start_time=(now - 3600) * 1000, end_time=now),
        "end_time": dict(start_time=now - 40 * 86_400, end_time=now),
    }
    for field, fields in cases.items():
        with pytest.raises(FlashcatValidationError) as caught:
            list_incidents(credentials, **fields)
        assert_names_the_field(caught.value, field)
    assert emulator.request_log.count() == 0


# --- flow parameters ---------------------------------------------------------------------------

NOT_A_ZONE = WORDS.map(lambda w: f"Nowhere/{w}")


def holiday_cases() -> st.SearchStrategy[tuple[str, dict[str, Any]]]:
    countries = set(holidays.list_supported_countries())
    languages = set(holidays.country_holidays("CN").supported_languages)
    return st.one_of(
        st.tuples(st.just("years"), st.integers(3000, 10**6).map(lambda y: {"years": [y]})),
        st.tuples(st.just("years"), st.integers(0, 2000).map(lambda y: {"years": y})),
        st.tuples(st.just("prune"), WORDS.map(lambda w: {"prune": w})),
        st.tuples(
            st.just("language"),
            st.from_regex(r"[a-z]{2}_[A-Z]{2}", fullmatch=True)
            .filter(lambda v: v not in languages)
            .map(lambda v: {"language": v}),
        ),
        st.tuples(
            st.just("country"),
            st.from_regex(r"[A-Z]{2}", fullmatch=True)
            .filter(lambda c: c not in countries)
            .map(lambda c: {"country": c}),
        ),
        st.tuples(st.just("dry_run"), WORDS.map(lambda w: {"dry_run": w})),
    )


def metrics_cases() -> st.SearchStrategy[tuple[str, dict[str, Any]]]:
    return st.one_of(
        st.tuples(st.just("severities"), WORDS.map(lambda w: {"severities": [w]})),
        st.tuples(st.just("time_zone"), NOT_A_ZONE.map(lambda z: {"time_zone": z})),
        st.tuples(
            st.just("formats"),
            WORDS.filter(lambda w: w not in ("parquet", "csv")).map(lambda w: {"formats": [w]}),
        ),
        st.tuples(st.just("team_ids"), st.integers(-(10**6), 0).map(lambda n: {"team_ids": [n]})),
        st.tuples(
            st.just("window"),
            st.integers(32, 400).map(lambda d: {"window": dt.timedelta(days=d)}),
        ),
        st.tuples(st.just("end"), st.integers(0, 10**6).map(lambda s: {"end_before": s})),
        st.tuples(
            st.just("concurrency"),
            st.one_of(st.integers(-5, 0), st.integers(65, 1000)).map(lambda n: {"concurrency": n}),
        ),
    )


def rotation_cases() -> st.SearchStrategy[tuple[str, dict[str, Any]]]:
    def plan_with(**rotation: Any) -> dict[str, Any]:
        plan = copy.deepcopy(THREE_RULES)
        plan["rules"][0]["rotations"][0].update(rotation)
        return {"plan": plan}

    return st.one_of(
        st.tuples(st.just("period"), WORDS.map(lambda w: plan_with(period=w))),
        st.tuples(
            st.just("layers"),
            st.integers(-100, 0).map(lambda n: plan_with(layers=[n])),
        ),
        st.tuples(st.just("time_zone"), NOT_A_ZONE.map(lambda z: plan_with(time_zone=z))),
        st.tuples(
            st.just("person_ids"),
            WORDS.map(lambda w: plan_with(roster={"person_ids": [w]})),
        ),
    )


def profile_cases() -> st.SearchStrategy[tuple[str, dict[str, Any]]]:
    def plan_with(**top: Any) -> dict[str, Any]:
        return {"plan": {**copy.deepcopy(PROFILE_PLAN), **top}}

    return st.one_of(
        st.tuples(st.just("time_zone"), NOT_A_ZONE.map(lambda z: plan_with(time_zone=z))),
        st.tuples(
            st.just("kind"),
            WORDS.map(
                lambda w: plan_with(
                    day_off={"enable": [{"kind": w, "channel_id": 2001, "rule_name": "x"}]}
                )
            ),
        ),
        st.tuples(
            st.just("channel_id"),
            WORDS.map(
                lambda w: plan_with(
                    day_off={"enable": [{"kind": "escalate", "channel_id": w, "rule_name": "x"}]}
                )
            ),
        ),
    )


def run_holiday(emulator: FlashcatEmulator, bad: dict[str, Any]) -> None:
    parameters = {"cal_id": demo.HOLIDAY_CALENDAR_ID, "country": "CN", "years": 2026, **bad}
    sync_holiday_calendar(emulator.credentials(), **parameters)


def run_metrics(emulator: FlashcatEmulator, bad: dict[str, Any], tmp_path: Any) -> None:
    now = emulator.state.now
    bad = dict(bad)
    start = now - 2 * 86_400
    end = start - bad.pop("end_before") - 1 if "end_before" in bad else now
    export_incident_metrics(
        emulator.credentials(), start=start, end=end, output_dir=str(tmp_path / "out"), **bad
    )


def run_rotation(emulator: FlashcatEmulator, bad: dict[str, Any]) -> None:
    rotate_escalation_rules(emulator.credentials(), bad["plan"], at=dt.datetime(2026, 11, 3))


def run_profile(emulator: FlashcatEmulator, bad: dict[str, Any]) -> None:
    apply_calendar_profile(emulator.credentials(), bad["plan"], day=dt.date(2026, 10, 1))


FLOW_CASES = st.one_of(
    st.tuples(st.just("holiday"), holiday_cases()),
    st.tuples(st.just("metrics"), metrics_cases()),
    st.tuples(st.just("rotation"), rotation_cases()),
    st.tuples(st.just("profile"), profile_cases()),
)


@settings(max_examples=12, **SETTINGS)
@given(case=FLOW_CASES)
def test_flows_refuse_bad_parameters_before_sending(
    emulator: FlashcatEmulator, tmp_path, case
) -> None:
    flow_name, (field, bad) = case
    emulator.request_log.clear()
    with pytest.raises(ValueError) as caught:  # FlashcatValidationError and pydantic's too
        if flow_name == "holiday":
            run_holiday(emulator, bad)
        elif flow_name == "metrics":
            run_metrics(emulator, bad, tmp_path)
        elif flow_name == "rotation":
            run_rotation(emulator, bad)
        else:
            run_profile(emulator, bad)
    assert field in str(caught.value), f"{field!r} not named in: {caught.value}"
    assert emulator.request_log.count() == 0, "nothing was sent"


# --- the command line: bad options and bad plan files ------------------------------------------

EXAMPLES = Path(__file__).parent.parent / "examples"
CLI = build_app()


def cli_env(emulator: FlashcatEmulator) -> dict[str, str | None]:
    return {
        "FLASHCAT_APP_KEY": emulator.app_key,
        "FLASHCAT_BASE_URL": emulator.url,
        "FLASHCAT_BLOCK": None,
    }


def flow_run_count() -> int:
    """Flow runs the harness's Prefect API holds."""
    response = httpx.post(f"{PREFECT_API_URL.value()}/flow_runs/count", json={})
    response.raise_for_status()
    return int(response.json())


def assert_refused(emulator: FlashcatEmulator, args: list[str], *named: str) -> None:
    """``args`` exits 2 with one short error line naming ``named``, having sent nothing and
    created no flow run."""
    runs = flow_run_count()
    emulator.request_log.clear()
    result = CliRunner().invoke(CLI, args, env=cli_env(emulator), catch_exceptions=False)
    lines = result.stderr.strip().splitlines()
    assert result.exit_code == 2, result.stdout + result.stderr
    assert len(lines) == 1 and lines[0].startswith("error: ") and len(lines[0]) < 1100, lines
    for fragment in named:
        assert fragment in lines[0], lines[0]
    assert "Error" not in lines[0].split(":")[1], "no parser class name"
    assert emulator.request_log.count() == 0, "nothing was sent"
    assert flow_run_count() == runs, "no flow run was created"


PLAN = str(EXAMPLES / "rotation-plan.yaml")
PROFILE = str(EXAMPLES / "calendar-profile.yaml")
OPTION_CASES = {
    "--at far future": (["rotate", "--plan", PLAN, "--at", "9999-12-31"], "--at"),
    "--day far future": (["profile", "apply", "--plan", PROFILE, "--day", "9999-12-31"], "--day"),
    "--days huge": (["export", "incidents", "--days", "999999999"], "--days"),
    "start after end": (
        ["export", "incidents", "--start", "2026-10-02", "--end", "2026-10-01"],
        "--start",
    ),
    "--team-id negative": (["export", "incidents", "--team-id", "-1"], "--team-id"),
    "--cal-id with --name": (
        ["calendar", "sync", "--cal-id", "cal.x", "--name", "Holidays", "--country", "CN"],
        "--cal-id",
    ),
    "--base-url not http": (
        [
            "blocks",
            "create",
            "--name",
            "x",
            "--app-key",
            "k" * 20,
            "--base-url",
            "file:///etc/passwd",
        ],
        "--base-url",
    ),
    "emulator empty --app-key": (["emulator", "--app-key", "", "--port", "0"], "--app-key"),
    "emulator bad --port": (["emulator", "--port", "70000"], "--port"),
}


@pytest.mark.parametrize("case", list(OPTION_CASES))
def test_cli_refuses_bad_options_before_any_request_or_flow_run(emulator, case) -> None:
    args, option = OPTION_CASES[case]
    assert_refused(emulator, args, option)


BAD_PLANS = {
    "syntax error": (b"time_zone: UTC\nrules: [\n  - channel_id: 2001\n", ":3"),
    "binary bytes": (b"time_zone: UTC\nrules:\n\xff\xfe\x00\x01\n", ":3"),
    "python tag": (b"time_zone: UTC\nrules: !!python/object/apply:os.system ['true']\n", ":2"),
    "duplicate key": (
        b"time_zone: UTC\nrules:\n  - channel_id: 2001\n    channel_id: 2002\n",
        ":4",
    ),
}


@settings(max_examples=20, **SETTINGS)
@given(
    case=st.sampled_from(sorted(BAD_PLANS)),
    command=st.sampled_from(["rotate", "profile"]),
)
def test_cli_refuses_bad_plan_files_naming_the_file_and_line(
    emulator, tmp_path_factory, case, command
) -> None:
    content, line = BAD_PLANS[case]
    path = tmp_path_factory.mktemp("plans") / "plan.yaml"
    path.write_bytes(content)
    args = (
        ["rotate", "--plan", str(path)]
        if command == "rotate"
        else ["profile", "apply", "--plan", str(path)]
    )
    assert_refused(emulator, args, f"{path}{line}")


def test_a_plan_over_the_size_limit_is_refused_before_parsing(emulator, tmp_path) -> None:
    path = tmp_path / "huge.yaml"
    with path.open("wb") as out:
        out.write(b"time_zone: UTC\nrules:\n")
        out.truncate(MAX_PLAN_BYTES + 1)
    assert_refused(emulator, ["rotate", "--plan", str(path)], str(path), "limit")
    with pytest.raises(FlashcatValidationError, match="limit"):
        RotationPlan.from_file(path)


def test_an_ics_file_over_the_size_limit_is_refused(tmp_path) -> None:
    path = tmp_path / "huge.ics"
    with path.open("wb") as out:
        out.truncate(MAX_ICS_BYTES + 1)
    with pytest.raises(FlashcatValidationError, match=r"ics: .* over the limit"):
        read_ics(path)


def test_epoch_milliseconds_are_caught(emulator, tmp_path) -> None:
    now_ms = emulator.state.now * 1000
    emulator.request_log.clear()
    with pytest.raises(ValueError, match=r"start: .*milliseconds"):
        export_incident_metrics(
            emulator.credentials(), now_ms - 86_400_000, now_ms, output_dir=str(tmp_path)
        )
    assert emulator.request_log.count() == 0
