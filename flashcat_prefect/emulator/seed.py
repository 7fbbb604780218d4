"""Seed data: the ``demo`` account every test, demo and flow starts from.

The ids below are stable (they do not depend on the seed number) so flows and tests can
name them. The demo account holds:

- 30 members, person ids 101..130 (:data:`PERSON_IDS`); person 101 is the account owner
  the app key acts as (:data:`OWNER_PERSON_ID`).
- 5 teams (:data:`TEAM_IDS`), six members each, in order: team 3001 has 101..106, ...
- 8 channels 2001..2008 (:data:`CHANNEL_IDS`), each owned by a team (:data:`CHANNEL_TEAMS`)
  with one alert integration (integration ids 6001..6008, :data:`INTEGRATION_IDS`) and an
  enabled escalation rule "Default" with two layers.
- On channel 2001 (:data:`DEFAULT_CHANNEL_ID`), for calendar-driven profiles: a disabled
  escalation rule "Holiday" (:data:`HOLIDAY_RULE_ID`) and a disabled silence rule
  "Quiet days" (:data:`QUIET_DAYS_RULE_ID`).
- 3 schedules (:data:`SCHEDULE_IDS`) with weekly rotations over team members.
- 2 service calendars: "China Holidays" (:data:`HOLIDAY_CALENDAR_ID`, no events) and
  "Ops Calendar" (:data:`OPS_CALENDAR_ID`, a few maintenance days).
- 1 notification template (:data:`TEMPLATE_ID`), 1 post-mortem template
  (:data:`POST_MORTEM_TEMPLATE_ID`) and 1 draft post-mortem (:data:`POST_MORTEM_ID`).
- 90 days of incidents ending at the emulator's ``now`` (about 10,000; ``incidents=N`` for
  any other count): severities about 12% Critical, 50% Warning, 38% Info; more during work
  hours (09:00-19:00 Asia/Shanghai, Monday to Friday); long-tailed (log-normal) ack and
  close delays, slower off hours; some never acknowledged, some still open. An incident
  nobody acknowledged within 30 minutes (the first layer's window) escalated to layer 1,
  whose person joined the responders then (about a fifth of all incidents); every
  incident keeps the rule that assigned it ("Default"), whatever the rules say later.

Everything is deterministic for a given seed number and ``now``.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

import numpy as np

from flashcat_prefect.emulator.ids import ACCOUNT_ID
from flashcat_prefect.emulator.incident_table import CLOSED_BY_PERSON, CLOSED_BY_RECOVERY, email_of

if TYPE_CHECKING:
    from flashcat_prefect.emulator.state import EmulatorState

OWNER_PERSON_ID = 101
PERSON_IDS: tuple[int, ...] = tuple(range(101, 131))
TEAM_IDS: tuple[int, ...] = (3001, 3002, 3003, 3004, 3005)
TEAM_NAMES: dict[int, str] = {
    3001: "SRE",
    3002: "Platform",
    3003: "Database",
    3004: "Payments",
    3005: "Mobile",
}
TEAM_MEMBERS: dict[int, tuple[int, ...]] = {
    team: PERSON_IDS[i * 6 : i * 6 + 6] for i, team in enumerate(TEAM_IDS)
}
CHANNEL_IDS: tuple[int, ...] = tuple(range(2001, 2009))
CHANNEL_NAMES: dict[int, str] = {
    2001: "Core Services",
    2002: "Kubernetes",
    2003: "Networking",
    2004: "MySQL",
    2005: "Redis",
    2006: "Payments API",
    2007: "Checkout",
    2008: "Mobile Backend",
}
CHANNEL_TEAMS: dict[int, int] = {
    2001: 3001,
    2002: 3002,
    2003: 3002,
    2004: 3003,
    2005: 3003,
    2006: 3004,
    2007: 3004,
    2008: 3005,
}
DEFAULT_CHANNEL_ID = 2001
INTEGRATION_IDS: dict[int, int] = {channel: 4000 + channel for channel in CHANNEL_IDS}
SCHEDULE_IDS: tuple[int, ...] = (7001, 7002, 7003)
SCHEDULE_TEAMS: dict[int, int] = {7001: 3001, 7002: 3002, 7003: 3003}
ONCALL_ROLE_ID = 1

DEFAULT_RULE_NAME = "Default"
HOLIDAY_RULE_NAME = "Holiday"
QUIET_DAYS_RULE_NAME = "Quiet days"


def rule_id(channel_id: int, index: int) -> str:
    """The fixed 24-hex id of the ``index``-th seeded rule on a channel."""
    return f"65000000{index:010x}{channel_id:06x}"


DEFAULT_RULE_IDS: dict[int, str] = {channel: rule_id(channel, 0) for channel in CHANNEL_IDS}
DEFAULT_RULE_ID = DEFAULT_RULE_IDS[DEFAULT_CHANNEL_ID]
HOLIDAY_RULE_ID = rule_id(DEFAULT_CHANNEL_ID, 1)
QUIET_DAYS_RULE_ID = rule_id(DEFAULT_CHANNEL_ID, 2)
TEMPLATE_ID = "650000000000000000c0ffee"
HOLIDAY_CALENDAR_ID = "cal.8xqL3mVbT7hZpKa2YcRfNd"
HOLIDAY_CALENDAR_NAME = "China Holidays"
OPS_CALENDAR_ID = "cal.4rWsGk9PnEyJt6HcMuXv5B"
OPS_CALENDAR_NAME = "Ops Calendar"
POST_MORTEM_ID = "5eed0000000000000000000000000001"
POST_MORTEM_TEMPLATE_ID = "650000000000000000b0a4d1"
SEED_DAYS = 90
FIRST_LAYER_WINDOW = 30 * 60
"""Seconds the first layer of a seeded "Default" rule waits for an ack (its
``escalate_window``) before the second layer is notified."""
DEMO_INCIDENTS = 10_000
LOCAL_UTC_OFFSET = 8 * 3600  # Asia/Shanghai

_FIRST = [
    "Alice",
    "Bob",
    "Chen",
    "Dana",
    "Emil",
    "Fang",
    "Grace",
    "Hiro",
    "Ines",
    "Jun",
    "Kai",
    "Lena",
    "Ming",
    "Nora",
    "Omar",
    "Priya",
    "Qiang",
    "Rosa",
    "Sam",
    "Tao",
    "Uma",
    "Victor",
    "Wei",
    "Xin",
    "Yara",
    "Zhou",
    "Ada",
    "Ben",
    "Cora",
    "Dev",
]
_LAST = ["Li", "Smith", "Wang", "Garcia", "Zhang", "Muller", "Liu", "Tanaka", "Silva", "Chen"]
PERSON_NAMES: dict[int, str] = {
    pid: f"{_FIRST[i]} {_LAST[i % len(_LAST)]}" for i, pid in enumerate(PERSON_IDS)
}

_TITLE_PATTERNS = [
    "High CPU usage on {svc}",
    "Memory pressure on {svc}",
    "Disk almost full on {svc}",
    "Error rate above 5% on {svc}",
    "Latency p99 above SLO on {svc}",
    "{svc} health check failing",
    "Pod restarts looping in {svc}",
    "Replication lag on {svc}",
    "Certificate expiring for {svc}",
    "Connection pool exhausted on {svc}",
    "5xx spike on {svc}",
    "Queue backlog growing on {svc}",
]


def build_seed(
    state: EmulatorState, seed: str, *, seed_number: int, now: int, incidents: int | None
) -> None:
    """Fill ``state`` with the named seed (``demo`` or ``empty``)."""
    state.acting_person_id = OWNER_PERSON_ID
    _seed_member(state, OWNER_PERSON_ID)
    if seed == "empty":
        return
    for pid in PERSON_IDS[1:]:
        _seed_member(state, pid)
    for team in TEAM_IDS:
        _seed_team(state, team)
    _seed_template(state)
    for channel in CHANNEL_IDS:
        _seed_channel(state, channel)
    _seed_rules(state)
    _seed_calendars(state, now)
    for schedule in SCHEDULE_IDS:
        _seed_schedule(state, schedule, now)
    _seed_post_mortem(state)
    state.incidents.set_titles(
        [p.format(svc=CHANNEL_NAMES[c]) for c in CHANNEL_IDS for p in _TITLE_PATTERNS]
    )
    count = DEMO_INCIDENTS if incidents is None else incidents
    columns = incident_columns(count, seed_number=seed_number, now=now)
    codes = np.array(
        [state.incidents.rule_code((DEFAULT_RULE_IDS[c], DEFAULT_RULE_NAME)) for c in CHANNEL_IDS],
        dtype=np.int32,
    )
    columns["rule"] = codes[np.searchsorted(CHANNEL_IDS, columns["channel"])]
    state.incidents.load(columns)


def _seed_member(state: EmulatorState, pid: int) -> None:
    name = PERSON_NAMES[pid]
    state.store.new_record(
        "/member",
        {
            "member_id": pid,
            "member_name": name,
            "email": email_of(name),
            "phone": f"+86 138{pid:08d}",
            "country_code": "CN",
            "locale": "en-US",
            "time_zone": "Asia/Shanghai",
            "phone_verified": True,
            "email_verified": True,
            "status": "enabled",
            "account_role_ids": [1 if pid == OWNER_PERSON_ID else 2],
            "is_external": False,
            "ref_id": f"emp-{pid}",
            "avatar": "",
        },
    )


def _seed_team(state: EmulatorState, team: int) -> None:
    state.store.new_record(
        "/team",
        {
            "team_id": team,
            "team_name": TEAM_NAMES[team],
            "description": f"The {TEAM_NAMES[team]} team",
            "person_ids": list(TEAM_MEMBERS[team]),
            "creator_id": OWNER_PERSON_ID,
            "creator_name": PERSON_NAMES[OWNER_PERSON_ID],
            "updated_by": OWNER_PERSON_ID,
            "updated_by_name": PERSON_NAMES[OWNER_PERSON_ID],
            "ref_id": f"team-{team}",
        },
    )


def _seed_template(state: EmulatorState) -> None:
    state.store.new_record(
        "/template",
        {
            "template_id": TEMPLATE_ID,
            "template_name": "Default notification",
            "description": "Seeded template",
            "team_id": TEAM_IDS[0],
            "creator_id": OWNER_PERSON_ID,
            "updated_by": OWNER_PERSON_ID,
            "email": "{{.Title}}",
            "sms": "{{.Title}}",
        },
    )


def _seed_channel(state: EmulatorState, channel: int) -> None:
    team = CHANNEL_TEAMS[channel]
    state.store.new_record(
        "/channel",
        {
            "channel_id": channel,
            "channel_name": CHANNEL_NAMES[channel],
            "team_id": team,
            "managing_team_ids": [team],
            "creator_id": OWNER_PERSON_ID,
            "description": f"Alerts of {CHANNEL_NAMES[channel]}",
            "auto_resolve_timeout": 0,
            "auto_resolve_mode": "trigger",
            "is_private": False,
            "group": {"method": "p", "equals": [["alert_key"]], "time_window": 0},
            "flapping": {"is_disabled": True, "max_changes": 4, "in_mins": 60, "mute_mins": 120},
        },
    )
    state.add_integration(
        INTEGRATION_IDS[channel], channel, f"Prometheus ({CHANNEL_NAMES[channel]})"
    )


def escalation_layers(channel: int) -> list[dict[str, Any]]:
    """The two layers of a channel's seeded "Default" rule."""
    team = CHANNEL_TEAMS[channel]
    members = TEAM_MEMBERS[team]
    first: dict[str, Any] = {"person_ids": [members[0]]}
    schedule = next((s for s, t in SCHEDULE_TEAMS.items() if t == team), None)
    if schedule is not None:
        first["schedule_to_role_ids"] = {str(schedule): [ONCALL_ROLE_ID]}
    return [
        {
            "max_times": 1,
            "notify_step": 5.0,
            "escalate_window": FIRST_LAYER_WINDOW // 60,
            "force_escalate": False,
            "target": first,
        },
        {
            "max_times": 2,
            "notify_step": 10.0,
            "escalate_window": 30,
            "force_escalate": False,
            "target": {"team_ids": [team], "person_ids": [members[1]]},
        },
    ]


def _rule(state: EmulatorState, prefix: str, values: dict[str, Any]) -> None:
    channel = values["channel_id"]
    state.store.new_record(
        prefix,
        {
            "channel_name": CHANNEL_NAMES[channel],
            "updated_by": OWNER_PERSON_ID,
            "description": "",
            "filters": [],
            "time_filters": [],
            **values,
        },
    )


def _seed_rules(state: EmulatorState) -> None:
    for channel in CHANNEL_IDS:
        _rule(
            state,
            "/channel/escalate/rule",
            {
                "rule_id": DEFAULT_RULE_IDS[channel],
                "channel_id": channel,
                "rule_name": DEFAULT_RULE_NAME,
                "priority": 0,
                "aggr_window": 0,
                "layers": escalation_layers(channel),
                "template_id": TEMPLATE_ID,
                "status": "enabled",
            },
        )
    members = TEAM_MEMBERS[CHANNEL_TEAMS[DEFAULT_CHANNEL_ID]]
    _rule(
        state,
        "/channel/escalate/rule",
        {
            "rule_id": HOLIDAY_RULE_ID,
            "channel_id": DEFAULT_CHANNEL_ID,
            "rule_name": HOLIDAY_RULE_NAME,
            "priority": 1,
            "aggr_window": 0,
            "description": "Skeleton crew on public holidays",
            "layers": [
                {
                    "max_times": 2,
                    "notify_step": 10.0,
                    "escalate_window": 30,
                    "force_escalate": False,
                    "target": {"person_ids": [members[2]]},
                }
            ],
            "time_filters": [{"cal_id": HOLIDAY_CALENDAR_ID, "is_off": True}],
            "template_id": TEMPLATE_ID,
            "status": "disabled",
        },
    )
    _rule(
        state,
        "/channel/silence/rule",
        {
            "rule_id": QUIET_DAYS_RULE_ID,
            "channel_id": DEFAULT_CHANNEL_ID,
            "rule_name": QUIET_DAYS_RULE_NAME,
            "priority": 0,
            "description": "Silence Info alerts on quiet days",
            "time_filters": [{"cal_id": HOLIDAY_CALENDAR_ID, "is_off": True}],
            "time_filter": {"start_time": 0, "end_time": 0},
            "filters": [[{"key": "severity", "oper": "IN", "vals": ["Info"]}]],
            "is_directly_discard": False,
            "status": "disabled",
            "is_effective": False,
        },
    )


def _seed_calendars(state: EmulatorState, now: int) -> None:
    for cal_id, name, description, kind in (
        (
            HOLIDAY_CALENDAR_ID,
            HOLIDAY_CALENDAR_NAME,
            "Public holidays in mainland China",
            "region.official.holiday",
        ),
        (OPS_CALENDAR_ID, OPS_CALENDAR_NAME, "Maintenance windows and freezes", "personal"),
    ):
        state.store.new_record(
            "/calendar",
            {
                "cal_id": cal_id,
                "cal_name": name,
                "description": description,
                "timezone": "Asia/Shanghai",
                "kind": kind,
                "workdays": [1, 2, 3, 4, 5],
                "extra_cal_ids": [],
                "team_id": TEAM_IDS[0],
                "creator_id": OWNER_PERSON_ID,
                "updated_by": OWNER_PERSON_ID,
            },
        )
    today = dt.datetime.fromtimestamp(now, dt.UTC).date()
    for i, offset in enumerate((7, 21, 35)):
        day = today + dt.timedelta(days=offset)
        state.store.new_record(
            "/calendar/event",
            {
                "event_id": f"cale.seededMaintenance{i:04d}",
                "cal_id": OPS_CALENDAR_ID,
                "summary": "Maintenance window",
                "description": "Planned database maintenance",
                "start_at": day.isoformat(),
                "end_at": (day + dt.timedelta(days=1)).isoformat(),
                "is_off": False,
                "creator_id": OWNER_PERSON_ID,
            },
        )


def _seed_schedule(state: EmulatorState, schedule: int, now: int) -> None:
    team = SCHEDULE_TEAMS[schedule]
    members = TEAM_MEMBERS[team]
    week = 7 * 86400
    anchor = now - now % week - 4 * week
    groups = [
        {
            "group_name": f"Week {i + 1}",
            "name": f"Week {i + 1}",
            "start": 0,
            "end": 0,
            "members": [{"role_id": ONCALL_ROLE_ID, "person_ids": [pid]}],
        }
        for i, pid in enumerate(members[:4])
    ]
    layer = {
        "account_id": ACCOUNT_ID,
        "name": "Primary",
        "layer_name": "Primary",
        "schedule_id": schedule,
        "hidden": 0,
        "mode": 0,
        "weight": 1,
        "groups": groups,
        "rotation_duration": week,
        "handoff_time": anchor,
        "enable_time": anchor,
        "expire_time": 0,
        "restrict_mode": 0,
        "restrict_start": 0,
        "restrict_end": 0,
        "restrict_periods": [],
        "day_mask": {"repeat": []},
        "fair_rotation": False,
        "layer_start": anchor,
        "layer_end": 0,
        "rotation_unit": "week",
        "rotation_value": 1,
        "mask_continuous_enabled": False,
    }
    name = f"{TEAM_NAMES[team]} on-call"
    state.store.new_record(
        "/schedule",
        {
            "schedule_id": schedule,
            "id": schedule,
            "schedule_name": name,
            "name": name,
            "team_id": team,
            "description": f"Weekly rotation of {TEAM_NAMES[team]}",
            "status": 0,
            "disabled": 0,
            "layers": [layer],
            "create_by": OWNER_PERSON_ID,
            "update_by": OWNER_PERSON_ID,
        },
    )


def _seed_post_mortem(state: EmulatorState) -> None:
    state.store.new_record(
        "/incident/post-mortem/template",
        {
            "template_id": POST_MORTEM_TEMPLATE_ID,
            "name": "Standard post-mortem",
            "description": "Summary, timeline, root cause, follow-ups",
            "team_id": TEAM_IDS[0],
            "content": "<h1>Summary</h1>",
            "content_markdown": "# Summary",
        },
    )
    state.store.new_record(
        "/incident/post-mortem",
        {
            "post_mortem_id": POST_MORTEM_ID,
            "title": "Core Services outage review",
            "status": "drafting",
            "channel_id": DEFAULT_CHANNEL_ID,
            "team_id": TEAM_IDS[0],
            "template_id": POST_MORTEM_TEMPLATE_ID,
        },
    )


# -- incidents ------------------------------------------------------------------------------


def incident_columns(count: int, *, seed_number: int, now: int) -> dict[str, np.ndarray]:
    """``count`` seeded incidents over the :data:`SEED_DAYS` days before ``now``, as columns."""
    rng = np.random.default_rng([seed_number, 4])
    span = SEED_DAYS * 86400
    begin = now - span
    starts = _diurnal_starts(rng, count, begin, span)
    local = starts + LOCAL_UTC_OFFSET
    hour = (local // 3600) % 24
    weekday = ((local // 86400) + 3) % 7  # 1970-01-01 was a Thursday; 0 = Monday
    work = (hour >= 9) & (hour < 19) & (weekday < 5)

    channel_weights = np.array([0.22, 0.16, 0.08, 0.14, 0.1, 0.12, 0.1, 0.08])
    channel_idx = rng.choice(len(CHANNEL_IDS), size=count, p=channel_weights)
    channels = np.asarray(CHANNEL_IDS, dtype=np.int64)[channel_idx]
    severity = rng.choice(3, size=count, p=[0.12, 0.5, 0.38]).astype(np.int8)

    # ack delay: log-normal, median 3 min at work, 12 min off hours; Critical twice as fast
    ack_median = np.where(work, 180.0, 720.0) * np.where(severity == 0, 0.5, 1.0)
    ack_delay = np.exp(np.log(ack_median) + 1.1 * rng.standard_normal(count))
    never_acked = rng.random(count) < np.array([0.02, 0.07, 0.25])[severity]
    ack = np.where(never_acked, 0, starts + np.maximum(ack_delay, 5).astype(np.int64))

    # close delay: log-normal, median 40 min (2 h off hours), with a heavy tail
    close_median = np.where(work, 2400.0, 7200.0)
    close_delay = np.exp(np.log(close_median) + 1.5 * rng.standard_normal(count))
    close = starts + np.maximum(close_delay, 60).astype(np.int64)
    close = np.maximum(close, np.where(ack > 0, ack + 30, 0))
    recovered = rng.random(count) < 0.55
    still_open = (close > now) | (rng.random(count) < 0.004)
    close = np.where(still_open, 0, close)
    ack = np.where(ack > now, 0, ack)
    closed_kind = np.where(
        close == 0, 0, np.where(recovered, CLOSED_BY_RECOVERY, CLOSED_BY_PERSON)
    ).astype(np.int8)

    # responders: the team member on call that week, sometimes a second one; an incident
    # nobody acknowledged within the first layer's window escalates to the second layer,
    # whose person then usually acknowledges and closes it
    team_idx = np.array([TEAM_IDS.index(CHANNEL_TEAMS[c]) for c in CHANNEL_IDS])[channel_idx]
    week_no = (starts // (7 * 86400)).astype(np.int64)
    slot = (week_no + team_idx) % 6
    person_table = np.array([TEAM_MEMBERS[t] for t in TEAM_IDS], dtype=np.int64)
    resp1 = person_table[team_idx, slot]
    escalated_at = starts + FIRST_LAYER_WINDOW
    unanswered_until = np.where(ack > 0, ack, np.where(close > 0, close, now))
    escalated = unanswered_until > escalated_at
    escalated_at = np.where(escalated, escalated_at, 0)
    second = escalated | (rng.random(count) < 0.2)
    resp2 = np.where(second, person_table[team_idx, (slot + 1) % 6], 0)
    acker = np.where(ack > 0, np.where(escalated, resp2, resp1), 0)
    closer = np.where(closed_kind == CLOSED_BY_PERSON, np.where(ack > 0, acker, resp1), 0)

    title = channel_idx * len(_TITLE_PATTERNS) + rng.integers(0, len(_TITLE_PATTERNS), count)
    return {
        "start": starts,
        "channel": channels,
        "severity": severity,
        "ack": ack,
        "close": close,
        "closed_kind": closed_kind,
        "closer": closer,
        "creator": np.zeros(count, np.int64),
        "resp1": resp1,
        "resp2": resp2,
        "acker": acker,
        "layer": escalated.astype(np.int8),
        "escalated_at": escalated_at,
        "title": title.astype(np.int32),
    }


def _diurnal_starts(rng: np.random.Generator, count: int, begin: int, span: int) -> np.ndarray:
    """Sorted start times: uniform days, hours weighted towards local work hours."""
    days = rng.integers(0, SEED_DAYS, count)
    hour_weights = np.array(
        [1, 1, 1, 1, 1, 1, 2, 3, 4, 6, 7, 7, 6, 7, 7, 7, 6, 6, 5, 4, 3, 2, 2, 1], dtype=float
    )
    hours = rng.choice(24, size=count, p=hour_weights / hour_weights.sum())
    seconds = rng.integers(0, 3600, count)
    day_zero = begin - (begin + LOCAL_UTC_OFFSET) % 86400  # local midnight before begin
    starts = day_zero + days * 86400 + hours * 3600 + seconds
    starts = begin + (starts - begin) % span  # fold into [begin, now)
    starts.sort()
    return starts.astype(np.int64)
