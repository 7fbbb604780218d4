"""Load: 16 flows at once against one emulator that enforces Flashduty's rate limits.

Four holiday syncs (four calendars), four rotations (four channels), four metrics exports
and four calendar-profile dry runs start together from 16 threads, all with the same
account. Every one must complete with the right result, none may fail with a 429: the
clients share one per-account budget and retry the 429s the server still answers.

Left alone, the shared budget keeps the flows under the server's limit and no 429 happens
at all, which would prove little; so another consumer of the same account (a plain httpx
loop, as another process would be) spends most of each second's budget for a while. Whether
the server's own limiter then answers a flow with a 429 depends on how the threads are
scheduled, so a few 429s are also scripted on the flows' busiest paths: those surely happen,
and every flow must absorb them.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx

from flashcat_prefect.emulator import FlashcatEmulator
from flashcat_prefect.emulator import seed as demo
from flashcat_prefect.flows import (
    apply_calendar_profile,
    rotate_escalation_rules,
    sync_holiday_calendar,
)
from flashcat_prefect.flows.metrics import export_incident_metrics, load_exported_incidents
from tests.test_calendar_profile_flow import PLAN as PROFILE_PLAN
from tests.test_holiday_sync_flow import CHINA_2026_OFF, CHINA_2026_WORKING, calendar_days
from tests.test_metrics_flow import source_incidents

FLOWS_AT_ONCE = 16
DAY = 86_400
CHANNELS = demo.CHANNEL_IDS[:4]
ROTATION_AT = dt.datetime(2026, 11, 4, 12, tzinfo=dt.UTC)  # day 2 of a daily roster from Nov 2
OTHER_CONSUMER_PATH = "/member/list"
"""Called only by the other consumer, so its 429s are told apart from the flows'."""
OTHER_CONSUMER_BURST = 40
"""Requests the other consumer sends at the start of each second (the account allows 50)."""
OTHER_CONSUMER_SECONDS = 12
"""How long it keeps at it: with the flows' calls, well inside the 1000 per minute."""
SCRIPTED_429 = {
    "/calendar/event/list": [{"kind": "rate_limit", "retry_after": 1}, None, "rate_limit"],
    "/calendar/event/upsert": ["rate_limit", None, {"kind": "rate_limit", "retry_after": 1}],
    "/channel/escalate/rule/update": [{"kind": "rate_limit", "retry_after": 1}],
    "/incident/list": [None, "rate_limit", None, {"kind": "rate_limit", "retry_after": 1}],
}
"""429s the flows surely meet, whatever the server's limiter does (one a step, None: behave)."""


@contextmanager
def another_consumer(emulator: FlashcatEmulator) -> Iterator[None]:
    """Spend most of each second's budget from a plain httpx loop in the background."""
    stop = threading.Event()

    def loop() -> None:
        with httpx.Client(base_url=emulator.url, params={"app_key": emulator.app_key}) as http:
            for _ in range(OTHER_CONSUMER_SECONDS):
                began = time.monotonic()
                for _ in range(OTHER_CONSUMER_BURST):
                    http.post(OTHER_CONSUMER_PATH, json={"limit": 1})
                if stop.wait(max(0.0, 1.0 - (time.monotonic() - began))):
                    return

    thread = threading.Thread(target=loop, daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(timeout=10)


def rotation_plan(channel_id: int) -> dict[str, Any]:
    return {
        "rules": [
            {
                "channel_id": channel_id,
                "rule_name": demo.DEFAULT_RULE_NAME,
                "rotations": [
                    {
                        "period": "daily",
                        "start": "2026-11-02T00:00",
                        "roster": {"person_ids": [120, 121, 122]},
                        "layers": [1],
                    }
                ],
            }
        ]
    }


def test_sixteen_flows_at_once_under_rate_limits(emulator: FlashcatEmulator, tmp_path: Path):
    # A shared account under contention: allow more retries than the default three.
    creds = emulator.credentials(max_retries=10)
    with creds.get_client() as client:
        calendars = [demo.HOLIDAY_CALENDAR_ID] + [
            str(client.calendars.create(cal_name=f"Load calendar {n}").cal_id) for n in range(3)
        ]
    now = emulator.state.now
    export_range = (now - 3 * DAY, now)
    emulator.request_log.clear()
    emulator.rate_limits = True  # 50/s and 1000/min per account, as Flashduty
    for path, steps in SCRIPTED_429.items():
        emulator.faults.sequence(path, steps)

    def holiday(cal_id: str) -> Any:
        return sync_holiday_calendar(creds, cal_id=cal_id, country="CN", years=2026)

    def rotation(channel_id: int) -> Any:
        return rotate_escalation_rules(creds, rotation_plan(channel_id), at=ROTATION_AT)

    def export(n: int) -> Any:
        return export_incident_metrics(
            creds,
            start=export_range[0],
            end=export_range[1],
            output_dir=str(tmp_path / f"export-{n}"),
            formats=["parquet"],
        )

    def profile(n: int) -> Any:
        return apply_calendar_profile(
            creds, PROFILE_PLAN, day=dt.date(2026, 10, 3 + n), dry_run=True
        )

    jobs = (
        [(holiday, cal_id) for cal_id in calendars]
        + [(rotation, channel) for channel in CHANNELS]
        + [(export, n) for n in range(4)]
        + [(profile, n) for n in range(4)]
    )
    assert len(jobs) == FLOWS_AT_ONCE
    with another_consumer(emulator), ThreadPoolExecutor(max_workers=FLOWS_AT_ONCE) as pool:
        futures = [pool.submit(job, argument) for job, argument in jobs]
        outcomes = []
        for future in futures:
            try:
                outcomes.append(future.result())
            except Exception as exc:  # collected: the assertion below names every failure
                outcomes.append(exc)
    failures = [repr(outcome) for outcome in outcomes if isinstance(outcome, Exception)]
    assert not failures, "every flow completes, none sees a 429"

    flow_statuses = Counter(
        entry.status for entry in emulator.request_log.entries if entry.path != OTHER_CONSUMER_PATH
    )
    assert set(flow_statuses) == {200, 429}, flow_statuses
    scripted = sum(1 for steps in SCRIPTED_429.values() for step in steps if step is not None)
    assert not any(emulator.faults.describe()["sequences"].values()), "every 429 was played"
    assert flow_statuses[429] >= scripted, "the server pushed back, and the clients absorbed it"
    emulator.rate_limits = False

    for cal_id in calendars:
        cal = calendar_days(emulator, cal_id)
        assert (cal["off"], cal["working"]) == (CHINA_2026_OFF, CHINA_2026_WORKING)
        assert not cal["duplicates"]
    with creds.get_client() as client:
        for channel in CHANNELS:
            rule = client.request(
                "/channel/escalate/rule/info",
                {"channel_id": channel, "rule_id": demo.DEFAULT_RULE_IDS[channel]},
            )
            assert rule["layers"][0]["target"]["person_ids"] == [122]
    source = sorted(i["incident_id"] for i in source_incidents(emulator, *export_range))
    for n in range(4):
        frame = load_exported_incidents(tmp_path / f"export-{n}", columns=["incident_id"])
        assert sorted(frame["incident_id"]) == source
    for report in outcomes[12:]:
        assert report.is_off is not None and report.dry_run
