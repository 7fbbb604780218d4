"""The fault matrix: every flow and both paginators under every fault the emulator can play.

Fault kinds (columns): 429 with and without ``Retry-After``, 500, 502, 503, 504, a timeout
(the server answers after the client gave up), a dropped connection, a malformed JSON body,
an ``error`` inside an HTTP 200, and three faults that let the server apply the write first
and then lose its answer (500, dropped connection, malformed body: the emulator's
``after_handler`` faults). Each cell plays its fault once on a read of the flow and once
on a write (on the write alone for a fault that already stops reads, or that is about a
write's lost answer, so that writes meet every kind), runs the flow for real under the
Prefect harness against an emulator of its own over loopback HTTP (a flow's cells run side
by side), and then checks one of two endings:

- success, with exactly the right final state: export rows equal the emulator's incidents,
  the calendar equals the desired days, rules equal the plan;
- a typed ``FlashcatError`` and a state that is safe: rules equal their snapshot, no
  duplicate event, no half-written export; a clean re-run then reaches the exact state.

Which ending a cell must reach follows from the client's retry policy (see
``flashcat_prefect.client._core``): reads are retried after every fault, a 200 whose body is
not JSON included (a garbled answer is as transient as a 500); writes are resent only after
429 and 503, because after a 500, a 502 or 504 from a gateway, a timeout or a lost answer the
server may have applied them. The holiday sync repairs such writes by reading back (a create
whose answer never came is waited for, not sent again); the rule flows read whether the failed
write took effect, restore their snapshot and fail, saying whether the write may still land
after the restore (its outcome is unknown only when the server itself never answered: a
timeout that was not seen landing, a cut connection, a gateway's 502 or 504). No cell sends
an applied write a second time, and a report counts exactly the writes that took effect.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import time
import traceback
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from flashcat_prefect.client import AsyncFlashcatClient, FlashcatClient
from flashcat_prefect.client.errors import (
    FlashcatError,
    RequestTooFrequentlyError,
)
from flashcat_prefect.emulator import FlashcatEmulator
from flashcat_prefect.emulator import seed as demo
from flashcat_prefect.emulator.faults import Fault
from flashcat_prefect.flows import (
    _late_writes,
    apply_calendar_profile,
    rotate_escalation_rules,
    sync_holiday_calendar,
)
from flashcat_prefect.flows.holiday._plan import OWNER_MARK
from flashcat_prefect.flows.metrics import export_incident_metrics, load_exported_incidents
from flashcat_prefect.flows.rotation._snapshot import RuleChangeError
from tests.test_calendar_profile_flow import NATIONAL_DAY, add_national_day, all_rules
from tests.test_calendar_profile_flow import PLAN as PROFILE_PLAN
from tests.test_holiday_sync_flow import (
    CHINA_2026_OFF,
    CHINA_2026_WORKING,
    calendar_days,
    effective_writes,
)
from tests.test_metrics_flow import source_incidents
from tests.test_rotation_flow import THREE_RULES, rule_info

CLIENT_TIMEOUT = 1.5
"""Seconds the flows' clients wait for an answer in these tests (eight flows share the
process, so an ordinary answer can take a while)."""
SLOW_ANSWER = 3.5
"""The ``timeout`` fault answers this late; the server still acts on the request."""
RETRY_AFTER = 1
CELLS_AT_ONCE = 6
"""Cells of one flow run side by side; thirteen at once made the harness's Prefect API
answer 503 (its SQLite database locked) on a busy machine."""

FAULTS: dict[str, dict[str, Any]] = {
    "429-retry-after": {"kind": "rate_limit", "retry_after": RETRY_AFTER},
    "429-bare": {"kind": "rate_limit"},
    "500": {"kind": "http_error", "status": 500},
    # a gateway's 502 and 504 say ServiceUnavailable, like a 503, which is resent
    "502": {"kind": "http_error", "status": 502, "code": "ServiceUnavailable"},
    "503": {"kind": "http_error", "status": 503},
    "504": {"kind": "http_error", "status": 504, "code": "ServiceUnavailable"},
    "timeout": {"kind": "latency", "seconds": SLOW_ANSWER},
    "drop": {"kind": "drop"},
    "malformed": {"kind": "malformed"},
    "error-in-200": {"kind": "error_in_200"},
    "500-after-apply": {"kind": "http_error", "status": 500, "after_handler": True},
    "drop-after-apply": {"kind": "drop", "after_handler": True},
    "malformed-after-apply": {"kind": "malformed", "after_handler": True},
}
ANSWER_LOST = {"500-after-apply", "drop-after-apply", "malformed-after-apply"}
"""Faults that let the server apply the request and then lose its answer."""
GATEWAY = {"502", "504"}
"""Gateway answers: a write behind them may have been applied; a read is simply retried."""
READ_RETRIED = set(FAULTS)
"""Faults after which the client sends a read again: all of them."""
WRITE_RETRIED = {"429-retry-after", "429-bare", "503"}
"""Faults after which the client resends a write (the server surely did not act)."""
WRITE_APPLIED = {"timeout"} | ANSWER_LOST
"""Faults under which the faulted write takes effect on the emulator (the timeout's late)."""
OUTCOME_OPEN = {"502", "504", "drop"}
"""Faults after which a failed rule write may still land after the restore: the server
itself never answered (a gateway did, or the connection was cut) and the write was not seen
taking effect. After a timeout the run waits and sees the late write land; after any answer
from the server (500, a garbled 200, an error in a 200) the server is done with it."""


def play_once(
    emulator: FlashcatEmulator, fault: str, paths: dict[str, int], slowness: float = 1.0
) -> None:
    """Make request number ``n`` (from 0) of each ``path`` suffer ``fault`` (a timeout's
    late answer and the client's patience scaled by ``slowness``)."""
    spec = dict(FAULTS[fault])
    if "seconds" in spec:
        spec["seconds"] *= slowness
    for path, n in paths.items():
        emulator.faults.sequence(path, [None] * n + [Fault(path=path, **spec)])


def unplayed(emulator: FlashcatEmulator) -> int:
    """Scripted faults still waiting for their request."""
    described = emulator.faults.describe()["sequences"].values()
    return sum(1 for steps in described for step in steps if step is not None)


def settle(fault: str, slowness: float = 1.0) -> None:
    """Let answers the client gave up on reach the emulator's state before checking it."""
    if fault == "timeout":
        time.sleep(SLOW_ANSWER * slowness)


# --- the flows -------------------------------------------------------------------------------


@dataclass
class FlowCell:
    """How to run one flow in a cell and how to judge the ending.

    ``read`` and ``write`` name a path the flow calls and which of its requests (from 0)
    gets the fault; ``succeeds`` says for which faults the flow must end in success.
    """

    prepare: Callable[[FlashcatEmulator, Any], Any]
    run: Callable[[FlashcatEmulator, Any, Any], Any]
    assert_exact: Callable[[FlashcatEmulator, Any, Any], None]
    assert_safe: Callable[[FlashcatEmulator, Any], None]
    read: tuple[str, int]
    write: tuple[str, int] | None
    succeeds: set[str]
    incidents: int | None = None
    """Seeded incidents (over 90 days) when the demo's default does not suit."""
    assert_report: Callable[[FlashcatEmulator, Any, Any, str], None] | None = None
    """Checks the report of a run that met the fault and succeeded (it must tell the truth)."""
    assert_error: Callable[[Any, str], None] | None = None
    """Checks what the error of a failed run says about the faulted write."""
    skip: frozenset[str] = frozenset()
    """Columns that would only repeat another column for this flow."""

    def faulted(self, fault: str) -> dict[str, int]:
        """Where ``fault`` is played: the read and the write, or only the write when the
        fault would stop the flow at its read already or is about a write's lost answer."""
        both = fault in READ_RETRIED and fault not in ANSWER_LOST
        places = [self.read, self.write] if both else [self.write or self.read]
        return dict(place for place in places if place is not None)


def credentials_for(emulator: FlashcatEmulator) -> Any:
    return emulator.credentials(timeout=CLIENT_TIMEOUT, max_retries=3)


# holiday sync: China 2026 into the holiday calendar, with one event to update and one to prune


def holiday_prepare(emulator: FlashcatEmulator, tmp_path: Any) -> None:
    with emulator.credentials().get_client() as client:
        for day, is_off in (("2026-03-16", True), ("2026-10-01", False)):  # stale, wrong
            client.calendars.upsert_event(
                cal_id=demo.HOLIDAY_CALENDAR_ID,
                summary="left over",
                description=f"from an earlier run\n{OWNER_MARK}",
                start_at=day,
                end_at=(dt.date.fromisoformat(day) + dt.timedelta(days=1)).isoformat(),
                is_off=is_off,
            )


def holiday_run(emulator: FlashcatEmulator, tmp_path: Any, context: Any) -> Any:
    return sync_holiday_calendar(
        credentials_for(emulator),
        cal_id=demo.HOLIDAY_CALENDAR_ID,
        country="CN",
        years=2026,
        prune=True,
    )


def holiday_exact(emulator: FlashcatEmulator, context: Any, report: Any) -> None:
    cal = calendar_days(emulator, demo.HOLIDAY_CALENDAR_ID)
    assert (cal["off"], cal["working"]) == (CHINA_2026_OFF, CHINA_2026_WORKING)
    assert not cal["duplicates"]
    assert len(cal["items"]) == len(CHINA_2026_OFF | CHINA_2026_WORKING)


def holiday_report(emulator: FlashcatEmulator, context: Any, report: Any, fault: str) -> None:
    """One event to create per desired day but 1 Oct, which is there to update; one to prune:
    exactly the writes that took effect (so no day was created twice, not even for a while).
    Only a create cut before the server ran it stays unseen; its day is created again."""
    wanted = len(CHINA_2026_OFF | CHINA_2026_WORKING)
    counts = (report.created, report.updated, report.deleted)
    assert counts == (wanted - 1, 1, 1)
    assert counts == tuple(effective_writes(emulator).values()), "the writes that took effect"
    assert report.unsettled == (1 if fault == "drop" else 0)


def holiday_safe(emulator: FlashcatEmulator, context: Any) -> None:
    cal = calendar_days(emulator, demo.HOLIDAY_CALENDAR_ID)
    assert not cal["duplicates"]
    assert cal["off"] | cal["working"] <= CHINA_2026_OFF | CHINA_2026_WORKING | {
        dt.date(2026, 3, 16)
    }


HOLIDAY = FlowCell(
    prepare=holiday_prepare,
    run=holiday_run,
    assert_exact=holiday_exact,
    assert_safe=holiday_safe,
    read=("/calendar/event/list", 0),
    write=("/calendar/event/upsert", 1),
    # Writes the client does not resend are repaired by reading the calendar back.
    succeeds=READ_RETRIED,
    assert_report=holiday_report,
)


# rotation: three rules, daily roster (the rotation tests' plan), 12:00 on day two

ROTATION_AT = dt.datetime(2026, 11, 3, 12, tzinfo=dt.timezone(dt.timedelta(hours=8)))


def three_rules(emulator: FlashcatEmulator) -> list[dict]:
    rules = [rule_info(emulator, r["channel_id"], r["rule_id"]) for r in THREE_RULES["rules"]]
    return [{k: v for k, v in r.items() if k not in ("updated_at", "updated_by")} for r in rules]


def rotation_prepare(emulator: FlashcatEmulator, tmp_path: Any) -> dict[str, Any]:
    return {"before": three_rules(emulator)}


def rotation_run(emulator: FlashcatEmulator, tmp_path: Any, context: Any) -> Any:
    return rotate_escalation_rules(credentials_for(emulator), THREE_RULES, at=ROTATION_AT)


def rotation_exact(emulator: FlashcatEmulator, context: Any, report: Any) -> None:
    # Day two of a daily [110, 111, 112] roster from Nov 2: person 111 on layer 1 everywhere.
    rules = three_rules(emulator)
    assert [rule["layers"][0]["target"]["person_ids"] for rule in rules] == [[111]] * 3
    for rule, before in zip(rules, context["before"], strict=True):
        rest = {k: v for k, v in rule.items() if k != "layers"}
        assert rest == {k: v for k, v in before.items() if k != "layers"}
        assert rule["layers"][1:] == before["layers"][1:]


def rules_as_before(read: Callable[[FlashcatEmulator], list[dict]]) -> Callable[..., None]:
    """A safe-state check for the rule flows: the rules read as before the run."""

    def check(emulator: FlashcatEmulator, context: Any) -> None:
        assert read(emulator) == context["before"], "the rules equal their snapshot"

    return check


def rule_write_error(error: Any, fault: str) -> None:
    """A rule flow's error tells the truth about the faulted write: whether it took effect
    (then it was undone) and whether it may still land after the restore."""
    assert isinstance(error, RuleChangeError), repr(error)
    assert error.took_effect == (fault in WRITE_APPLIED), str(error)
    assert error.outcome_unknown == (fault in OUTCOME_OPEN), str(error)
    if fault in WRITE_APPLIED:
        assert "undone" in str(error)
    if fault == "timeout":  # the run waited for the late write before restoring
        assert "landed later and was undone" in str(error)


ROTATION = FlowCell(
    prepare=rotation_prepare,
    run=rotation_run,
    assert_exact=rotation_exact,
    assert_safe=rules_as_before(three_rules),
    read=("/channel/escalate/rule/list", 0),
    write=("/channel/escalate/rule/update", 1),  # the second of three rules
    succeeds=WRITE_RETRIED,
    assert_error=rule_write_error,
)


# calendar profile: National Day in the holiday calendar switches three rules' statuses


def profile_prepare(emulator: FlashcatEmulator, tmp_path: Any) -> dict[str, Any]:
    add_national_day(emulator)
    return {"before": all_rules(emulator)}


def profile_run(emulator: FlashcatEmulator, tmp_path: Any, context: Any) -> Any:
    return apply_calendar_profile(credentials_for(emulator), PROFILE_PLAN, day=NATIONAL_DAY)


def profile_statuses(emulator: FlashcatEmulator) -> dict[str, str]:
    return {rule["rule_name"]: rule["status"] for rule in all_rules(emulator)}


def profile_exact(emulator: FlashcatEmulator, context: Any, report: Any) -> None:
    wanted = {
        "Default": "disabled",
        demo.HOLIDAY_RULE_NAME: "enabled",
        demo.QUIET_DAYS_RULE_NAME: "enabled",
    }
    statuses = profile_statuses(emulator)
    assert {name: statuses[name] for name in wanted} == wanted
    rest = [{k: v for k, v in r.items() if k != "status"} for r in all_rules(emulator)]
    assert rest == [{k: v for k, v in r.items() if k != "status"} for r in context["before"]]


PROFILE = FlowCell(
    prepare=profile_prepare,
    run=profile_run,
    assert_exact=profile_exact,
    assert_safe=rules_as_before(all_rules),
    read=("/calendar/event/list", 0),
    write=("/channel/silence/rule/enable", 0),  # the second of three status switches
    succeeds=WRITE_RETRIED,
    assert_error=rule_write_error,
)


# metrics export: one day, one window of several pages; the fault hits a page in the middle

DAY = 86_400


def export_prepare(emulator: FlashcatEmulator, tmp_path: Any) -> dict[str, Any]:
    now = emulator.state.now
    return {"start": now - DAY, "end": now, "out": tmp_path / "export"}


def export_run(emulator: FlashcatEmulator, tmp_path: Any, context: Any) -> Any:
    return export_incident_metrics(
        credentials_for(emulator),
        start=context["start"],
        end=context["end"],
        output_dir=str(context["out"]),
        formats=["parquet"],
    )


def export_exact(emulator: FlashcatEmulator, context: Any, report: Any) -> None:
    source = source_incidents(emulator, context["start"], context["end"])
    frame = load_exported_incidents(context["out"], columns=["incident_id"])
    assert sorted(frame["incident_id"]) == sorted(i["incident_id"] for i in source)
    assert report.incident_count == len(source) > 100


def export_safe(emulator: FlashcatEmulator, context: Any) -> None:
    assert list(context["out"].iterdir()) == [], "no half-written export, no temporary file"


EXPORT = FlowCell(
    prepare=export_prepare,
    run=export_run,
    assert_exact=export_exact,
    assert_safe=export_safe,
    read=("/incident/list", 2),  # the third of four or so pages
    write=None,
    succeeds=READ_RETRIED,
    incidents=30_000,
    skip=frozenset(GATEWAY),  # no write; reads after a 502 or 504 are the 500 column's case
)

FLOWS = {
    "holiday-sync": HOLIDAY,
    "rotation": ROTATION,
    "calendar-profile": PROFILE,
    "metrics-export": EXPORT,
}


LOST_ANSWER_CODES = {"InternalError", "dropped", "malformed"}
"""How the request log marks the request whose answer an ``ANSWER_LOST`` fault replaced."""


def assert_lost_answer_handled(emulator: FlashcatEmulator, cell: FlowCell, fault: str) -> None:
    """The request whose answer was lost was run by the emulator; a write was not sent again,
    a read was asked again and answered (whichever request of the flow the fault met)."""
    if fault not in ANSWER_LOST:
        return
    path = (cell.write or cell.read)[0]
    sent = emulator.request_log.for_path(path)
    (lost,) = [
        entry for entry in sent if entry.body is not None and entry.code in LOST_ANSWER_CODES
    ]
    same = [entry for entry in sent if entry.body == lost.body]
    if cell.write is not None:
        assert same == [lost], "the applied write was resent"
    else:
        assert any(entry.code is None for entry in same), "the read was asked again and answered"


def run_cell(cell: FlowCell, fault: str, tmp_path: Path) -> None:
    """One cell, on an emulator of its own (fresh demo data); raises when the cell fails."""
    tmp_path.mkdir(parents=True, exist_ok=True)
    with FlashcatEmulator(seed="demo", rate_limits=False, incidents=cell.incidents) as emulator:
        context = cell.prepare(emulator, tmp_path)
        emulator.request_log.clear()  # the log holds the flow's requests only
        faulted = cell.faulted(fault)
        play_once(emulator, fault, faulted)

        if fault in cell.succeeds:
            report = cell.run(emulator, tmp_path, context)
            settle(fault)
            cell.assert_exact(emulator, context, report)
            if cell.assert_report is not None:
                cell.assert_report(emulator, context, report, fault)
            assert unplayed(emulator) == 0, "every scripted fault was played"
            assert_lost_answer_handled(emulator, cell, fault)
            return
        with pytest.raises(FlashcatError) as caught:
            cell.run(emulator, tmp_path, context)
        settle(fault)
        emulator.faults.clear()
        error = caught.value
        assert any(path in str(error) for path in faulted), "the error names the call"
        assert_lost_answer_handled(emulator, cell, fault)
        if cell.assert_error is not None:
            cell.assert_error(error, fault)
        cell.assert_safe(emulator, context)
        # Nothing was lost for good: the next run, without faults, reaches the exact state.
        cell.assert_exact(emulator, context, cell.run(emulator, tmp_path, context))


@pytest.mark.parametrize("flow_name", list(FLOWS))
def test_flow_under_every_fault(tmp_path: Path, flow_name: str, monkeypatch):
    """The cells of one flow, run side by side (each on its own emulator): most of
    a cell's time is waiting (Retry-After, backoff, timeouts, Prefect's API)."""
    # A dropped create never lands here; the sync need not wait a real server's full minute.
    monkeypatch.setattr(_late_writes, "LATE_WRITE_WAIT_SECONDS", 2 * SLOW_ANSWER)
    cell = FLOWS[flow_name]
    columns = [fault for fault in FAULTS if fault not in cell.skip]
    with ThreadPoolExecutor(max_workers=CELLS_AT_ONCE) as pool:
        futures = {fault: pool.submit(run_cell, cell, fault, tmp_path / fault) for fault in columns}
    failures = {}
    for fault, future in futures.items():
        try:
            future.result()
        except BaseException as exc:  # every failed cell is reported, not just the first
            failures[fault] = "".join(traceback.format_exception(exc))
    assert not failures, "\n".join(
        f"--- {flow_name} under {fault} ---\n{text}" for fault, text in failures.items()
    )


# --- the paginators (page and cursor style, sync and async client) -----------------------------


PAGINATOR_SLOWNESS = 0.6
"""One client on a quiet emulator: a timeout's late answer (2.1 s) can come sooner."""
PAGINATOR_TIMEOUT = 1.0
"""The client's patience in the timeout cells only; the others use ``CLIENT_TIMEOUT``."""
PAGINATOR_FAULTS = [fault for fault in FAULTS if fault not in ANSWER_LOST]
"""A read's lost answer is the same to a paginator as the answer failing outright."""

PAGINATORS = {
    # page style: 30 members in pages of 7 (p = 1..5)
    "page": ("/member/list", {"limit": 7}, "member_id"),
    # cursor style: one day of incidents in pages of 25 (search_after_ctx)
    "cursor": ("/incident/list", {"limit": 25}, "incident_id"),
}


def list_body(emulator: FlashcatEmulator, style: str) -> dict[str, Any]:
    body = PAGINATORS[style][1]
    if style == "cursor":
        now = emulator.state.now
        body = {**body, "start_time": now - DAY, "end_time": now}
    return body


def walk(
    emulator: FlashcatEmulator, mode: str, path: str, body: dict, id_field: str, **settings: Any
) -> list[Any]:
    """Every item's id, through the sync or the async client's ``iter_items``."""
    if mode == "sync":
        with FlashcatClient(emulator.app_key, base_url=emulator.url, **settings) as client:
            return [item[id_field] for item in client.iter_items(path, body)]

    async def collect() -> list[Any]:
        async with AsyncFlashcatClient(
            emulator.app_key, base_url=emulator.url, **settings
        ) as client:
            return [item[id_field] async for item in client.iter_items(path, body)]

    return asyncio.run(collect())


def pages_asked(emulator: FlashcatEmulator, path: str) -> list[str]:
    """The distinct page requests the emulator read, in the order first asked (a retried
    page counts once, however often a busy machine made the client ask)."""
    bodies = (
        json.dumps(entry.body, sort_keys=True)
        for entry in emulator.request_log.for_path(path)
        if entry.body is not None
    )
    return list(dict.fromkeys(bodies))


@pytest.mark.parametrize("fault", PAGINATOR_FAULTS)
@pytest.mark.parametrize("style", list(PAGINATORS))
@pytest.mark.parametrize("mode", ["sync", "async"])
def test_paginator_under_fault(emulator: FlashcatEmulator, mode: str, style: str, fault: str):
    path, _, id_field = PAGINATORS[style]
    body = list_body(emulator, style)
    expected = walk(emulator, "sync", path, body, id_field)
    clean_pages = pages_asked(emulator, path)
    assert len(clean_pages) >= 3 and len(expected) == len(set(expected))

    emulator.request_log.clear()
    play_once(emulator, fault, {path: 1}, PAGINATOR_SLOWNESS)  # the second page
    timeout = PAGINATOR_TIMEOUT if fault == "timeout" else CLIENT_TIMEOUT
    settings = {"max_retries": 3, "timeout": timeout}
    got = walk(emulator, mode, path, body, id_field, **settings)
    assert got == expected, "every item once, in order"
    settle(fault, PAGINATOR_SLOWNESS)
    assert unplayed(emulator) == 0, "the fault was played"
    assert pages_asked(emulator, path) == clean_pages, "the same pages, in the same order"
    assert emulator.request_log.count(path) > len(clean_pages), "the faulted page asked again"
    if fault == "429-retry-after":
        log = emulator.request_log.for_path(path)
        faulted = next(n for n, entry in enumerate(log) if entry.status == 429)
        assert log[faulted + 1].time - log[faulted].time >= RETRY_AFTER - 0.05, "waited"


def test_429_that_never_ends_raises_a_typed_error_after_the_retries(emulator):
    emulator.faults.add("rate_limit", path="/member/list", retry_after=0)
    client = FlashcatClient(emulator.app_key, base_url=emulator.url, max_retries=2)
    with client, pytest.raises(RequestTooFrequentlyError):
        list(client.iter_items("/member/list", {"limit": 7}))
    assert emulator.request_log.count("/member/list") == 3
