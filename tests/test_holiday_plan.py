"""The pure diff of the holiday sync: desired days vs. existing events, without Prefect."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from flashcat_prefect.flows.holiday._plan import (
    DESCRIPTION_MAX_CHARS,
    OWNER_MARK,
    SUMMARY_MAX_CHARS,
    CalendarEvent,
    DayChange,
    count_actions,
    event_content,
    plan_calendar_changes,
    shorten,
)
from flashcat_prefect.flows.holiday._sources import DesiredDay

D = dt.date
YEARS = [2026]
_ids = itertools.count(1)


def desired(*days: tuple[dt.date, str, bool]) -> dict[dt.date, DesiredDay]:
    return {day: DesiredDay(day, name, is_off, ("test",)) for day, name, is_off in days}


def foreign(day: dt.date, is_off: bool = True, days: int = 1) -> CalendarEvent:
    return CalendarEvent(
        event_id=f"cale.f{next(_ids)}",
        summary="by hand",
        description="",
        start_at=day,
        end_at=day + dt.timedelta(days=days),
        is_off=is_off,
    )


def owned(day: dt.date, name: str = "old name", is_off: bool = True) -> CalendarEvent:
    content = event_content(DesiredDay(day, name, is_off, ("test",)))
    return CalendarEvent(
        event_id=f"cale.o{next(_ids)}",
        summary=content.summary,
        description=content.description,
        start_at=day,
        end_at=day + dt.timedelta(days=1),
        is_off=is_off,
    )


def apply(events: list[CalendarEvent], changes: list[DayChange]) -> list[CalendarEvent]:
    """What a calendar holds after the planned writes (an in-memory stand-in for the API)."""
    by_id = {event.event_id: event for event in events}
    for change in changes:
        if change.action == "delete":
            del by_id[change.event_id]
        elif change.action in ("create", "update"):
            event_id = change.event_id or f"cale.n{next(_ids)}"
            by_id[event_id] = CalendarEvent(
                **(change.upsert_body("cal.x") | {"event_id": event_id})
            )
    return list(by_id.values())


def actions(changes: list[DayChange]) -> dict[str, int]:
    return {k: v for k, v in count_actions(changes).items() if v}


def test_an_empty_calendar_gets_one_event_per_desired_day():
    wanted = desired((D(2026, 10, 1), "National Day", True), (D(2026, 10, 10), "Workday", False))
    changes = plan_calendar_changes(wanted, [], years=YEARS)
    assert actions(changes) == {"create": 2}
    bodies = [change.upsert_body("cal.x") for change in changes]
    assert bodies[0]["start_at"] == "2026-10-01" and bodies[0]["end_at"] == "2026-10-02"
    assert [body["is_off"] for body in bodies] == [True, False]
    assert all("event_id" not in body and OWNER_MARK in body["description"] for body in bodies)


def test_right_events_are_unchanged_and_wrong_ones_updated():
    right, wrong = owned(D(2026, 10, 1), "National Day"), owned(D(2026, 10, 2), "Old")
    wanted = desired((D(2026, 10, 1), "National Day", True), (D(2026, 10, 2), "New", True))
    changes = plan_calendar_changes(wanted, [right, wrong], years=YEARS)
    assert actions(changes) == {"unchanged": 1, "update": 1}
    update = next(c for c in changes if c.action == "update")
    assert update.event_id == wrong.event_id and update.summary == "New"


def test_duplicates_of_own_events_are_always_removed():
    first, second = owned(D(2026, 5, 1), "Labor Day"), owned(D(2026, 5, 1), "Labor Day")
    changes = plan_calendar_changes(
        desired((D(2026, 5, 1), "Labor Day", True)), [first, second], years=YEARS, prune=False
    )
    assert actions(changes) == {"unchanged": 1, "delete": 1}


def test_prune_false_keeps_stale_own_events_and_true_deletes_only_own_ones():
    stale_own, stray = owned(D(2026, 3, 3)), foreign(D(2026, 3, 4))
    wanted = desired((D(2026, 10, 1), "National Day", True))

    kept = plan_calendar_changes(wanted, [stale_own, stray], years=YEARS, prune=False)
    assert actions(kept) == {"create": 1, "skipped": 1}

    pruned = plan_calendar_changes(wanted, [stale_own, stray], years=YEARS, prune=True)
    assert actions(pruned) == {"create": 1, "delete": 1}
    assert next(c for c in pruned if c.action == "delete").event_id == stale_own.event_id


def test_foreign_events_are_respected_unless_prune_all():
    same, opposite = foreign(D(2026, 10, 1), is_off=True), foreign(D(2026, 10, 10), is_off=True)
    wanted = desired((D(2026, 10, 1), "National Day", True), (D(2026, 10, 10), "Workday", False))
    changes = plan_calendar_changes(wanted, [same, opposite], years=YEARS, prune=True)
    assert {c.day: c.action for c in changes} == {
        D(2026, 10, 1): "unchanged",
        D(2026, 10, 10): "skipped",
    }


def test_prune_all_makes_the_calendar_match_the_sources_exactly():
    events = [
        foreign(D(2026, 10, 1)),
        foreign(D(2026, 9, 30), days=3),
        foreign(D(2026, 1, 1)),
        owned(D(2026, 2, 2)),
        owned(D(2026, 10, 10), "Workday", is_off=False),
    ]
    wanted = desired(
        (D(2026, 10, 1), "National Day", True),
        (D(2026, 10, 2), "National Day", True),
        (D(2026, 10, 10), "Workday", False),
    )
    changes = plan_calendar_changes(wanted, events, years=YEARS, prune="all")
    after = apply(events, changes)
    assert sorted((e.start_at, e.is_off) for e in after) == sorted(
        (day, d.is_off) for day, d in wanted.items()
    )
    assert all(e.owned for e in after)
    assert next(c for c in changes if c.day == D(2026, 10, 1)).note == "taken over"


def test_events_outside_the_years_are_left_alone():
    old = owned(D(2025, 10, 1))
    changes = plan_calendar_changes({}, [old], years=YEARS, prune="all")
    assert changes == []


def test_prune_must_be_a_known_value():
    with pytest.raises(ValueError, match="prune"):
        plan_calendar_changes({}, [], years=YEARS, prune="some")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "text",
    [
        "Quarterly recharge day for every engineer on the platform team",
        "中华人民共和国国庆节及中秋节连休安排调整后的补充休息日由国务院办公厅发布的通知确定",
        "x" * 80,
    ],
)
def test_long_names_are_shortened_readably(text):
    short = shorten(text, SUMMARY_MAX_CHARS)
    assert len(short) <= SUMMARY_MAX_CHARS
    assert short.endswith("…")
    assert text.startswith(short[:-1].rstrip())
    if " " in text:
        assert text[len(short) - 1] == " ", "the cut falls on a word boundary"


def test_short_names_are_kept_and_descriptions_fit_the_limit():
    assert shorten("  National   Day ", SUMMARY_MAX_CHARS) == "National Day"
    content = event_content(DesiredDay(D(2026, 1, 1), "word " * 200, True, ("ics:a", "ics:b")))
    assert len(content.description) <= DESCRIPTION_MAX_CHARS
    assert content.description.endswith(OWNER_MARK)
    assert "ics:a, ics:b" in content.description


day_strategy = st.dates(min_value=D(2026, 1, 1), max_value=D(2026, 1, 20))
desired_strategy = st.dictionaries(
    day_strategy,
    st.tuples(st.sampled_from(["A", "B", "A long holiday name " * 3]), st.booleans()),
    max_size=12,
)
existing_strategy = st.lists(
    st.tuples(day_strategy, st.booleans(), st.booleans(), st.integers(1, 3)), max_size=12
)


@settings(max_examples=150, deadline=None)
@given(desired_strategy, existing_strategy, st.sampled_from([False, True, "all"]))
def test_applying_a_plan_leaves_nothing_to_write(wanted_raw, existing_raw, prune):
    wanted = desired(*((day, name, off) for day, (name, off) in wanted_raw.items()))
    events = [
        owned(day, "A", off) if mine and span == 1 else foreign(day, off, span)
        for day, off, mine, span in existing_raw
    ]
    after = apply(events, plan_calendar_changes(wanted, events, years=YEARS, prune=prune))
    replan = plan_calendar_changes(wanted, after, years=YEARS, prune=prune)
    assert not [c for c in replan if c.action in ("create", "update", "delete")]
    own_days = [e.start_at for e in after if e.owned]
    own_wanted_days = [day for day in own_days if day in wanted]
    assert len(own_wanted_days) == len(set(own_wanted_days)), "no duplicate own events"
    if prune == "all":
        assert sorted(own_days) == sorted(wanted) and all(e.owned for e in after)
