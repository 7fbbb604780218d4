"""Incidents stored column by column, so a million of them stay cheap.

Every incident is a row of numpy arrays sorted by ``start_time`` (new incidents are only
appended, at the emulator clock, so the order holds). Range queries bisect the start
column, filters are vectorised masks, and a full incident dict is built only for the rows a
page serves. Fields edited through the API (titles, comments, assignments, custom fields,
the feed) live in a sparse per-row overlay. Each row keeps the escalation rule that assigned
it (``rule``, an index into :attr:`IncidentTable.rules`), the layer it escalated to and
when, so the history stays as it was when rules change later.

Incident ids are ObjectID shaped: 8 hex of the start time, 10 hex of a per-seed salt and 6
hex of the row number, so an id leads straight back to its row.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from flashcat_prefect.emulator.errors import ApiError, invalid, not_found
from flashcat_prefect.emulator.ids import ACCOUNT_ID, ACCOUNT_LOCALE, ACCOUNT_TIME_ZONE

SEVERITIES = ("Critical", "Warning", "Info")
PROGRESSES = ("Triggered", "Processing", "Closed")
MAX_ROWS = 0xFFFFFF

# closed_kind values
OPEN, CLOSED_BY_PERSON, CLOSED_BY_RECOVERY, MERGED = 0, 1, 2, 3

EventHook = Callable[[str, dict[str, Any]], None]
"""Called as ``hook(event_type, payload)`` for incident (``i_*``) and alert (``a_*``) events."""


@dataclass(frozen=True)
class Directory:
    """Names the incident rows refer to: people, channels and their teams, rules."""

    person_names: dict[int, str] = field(default_factory=dict)
    channel_names: dict[int, str] = field(default_factory=dict)
    channel_teams: dict[int, int] = field(default_factory=dict)
    channel_rules: dict[int, tuple[str, str]] = field(default_factory=dict)
    """channel_id -> (id, name) of the escalation rule new incidents are assigned by"""
    channel_integrations: dict[int, int] = field(default_factory=dict)
    team_names: dict[int, str] = field(default_factory=dict)
    team_members: dict[int, frozenset[int]] = field(default_factory=dict)
    channel_managers: dict[int, frozenset[int]] = field(default_factory=dict)
    """channel_id -> the teams that manage it (``managing_team_ids``)"""
    account_name: str = "Emulated Account"
    _people: dict[int, dict[str, Any]] = field(default_factory=dict, compare=False, repr=False)

    def person_short(self, person_id: int) -> dict[str, Any] | None:
        """``{person_id, person_name, email}`` (a fresh dict), or None for 0."""
        if not person_id:
            return None
        short = self._people.get(person_id)
        if short is None:
            name = self.person_names.get(person_id, f"person {person_id}")
            short = {"person_id": person_id, "person_name": name, "email": email_of(name)}
            self._people[person_id] = short
        return dict(short)

    def teams_of(self, person_id: int) -> set[int]:
        return {team for team, members in self.team_members.items() if person_id in members}

    def channels_where(self, wanted: Callable[[int], bool]) -> set[int]:
        """Channels for which ``wanted(channel_id)`` holds."""
        return {channel for channel in self.channel_names if wanted(channel)}


def object_id(start: int, salt: str, row: int) -> str:
    """The 24-hex id of a row: 8 hex of its start time, 10 of ``salt``, 6 of the row number."""
    return f"{start & 0xFFFFFFFF:08x}{salt}{row:06x}"


def service_label(channel_name: str) -> str:
    """The ``service`` label seeded incidents carry: their channel's name as a slug."""
    return channel_name.lower().replace(" ", "-")


def email_of(name: str) -> str:
    return name.lower().replace(" ", ".") + "@example.com"


NO_RULE = ("", "")
"""(id, name) of "no escalation rule": index 0 of every table's rule list."""

_COLUMNS: dict[str, Any] = {
    "start": np.int64,
    "channel": np.int64,
    "severity": np.int8,
    "ack": np.int64,
    "close": np.int64,
    "closed_kind": np.int8,
    "closer": np.int64,
    "acker": np.int64,
    "creator": np.int64,
    "resp1": np.int64,
    "resp2": np.int64,
    "title": np.int32,
    "rule": np.int32,
    "layer": np.int8,
    "escalated_at": np.int64,
    "snoozed": np.int64,
    "deleted": np.bool_,
}


class IncidentTable:
    """The incidents of one emulated account (see the module docstring)."""

    def __init__(
        self, salt: str, directory: Directory | None = None, titles: list[str] | None = None
    ) -> None:
        self.directory = directory or Directory()
        self.titles: list[str] = []
        self._title_index: dict[str, int] = {}
        self.set_titles(titles or [])
        self.rules: list[tuple[str, str]] = [NO_RULE]
        """(escalation rule id, name) as they were when an incident was assigned; the
        ``rule`` column indexes this list, so renaming or switching a rule later leaves
        the history as it was."""
        self._rule_index: dict[tuple[str, str], int] = {NO_RULE: 0}
        self.salt = salt
        self.size = 0
        self.cols: dict[str, np.ndarray] = {
            name: np.zeros(0, dtype) for name, dtype in _COLUMNS.items()
        }
        self.overlay: dict[int, dict[str, Any]] = {}
        self.on_event: list[EventHook] = []

    def set_titles(self, titles: list[str]) -> None:
        """The title table the ``title`` column indexes into (seeded rows use it)."""
        self.titles = list(titles)
        self._title_index = {t: i for i, t in enumerate(self.titles)}

    # -- storage -------------------------------------------------------------------------

    def load(self, columns: dict[str, np.ndarray]) -> None:
        """Replace the table with seeded columns (``start`` must be sorted)."""
        size = len(columns["start"])
        if size > MAX_ROWS:
            raise ValueError(f"at most {MAX_ROWS} incidents are supported")
        self.cols = {}
        for name, dtype in _COLUMNS.items():
            given = columns.get(name)
            self.cols[name] = (
                np.asarray(given, dtype=dtype).copy()
                if given is not None
                else np.zeros(size, dtype)
            )
        if columns.get("acker") is None:  # seeded incidents are acked by their first responder
            self.cols["acker"] = np.where(self.cols["ack"] > 0, self.cols["resp1"], 0)
        self.size = size
        self.overlay.clear()

    def _col(self, name: str) -> np.ndarray:
        return self.cols[name][: self.size]

    def append(
        self,
        *,
        start: int,
        channel: int,
        severity: int,
        creator: int = 0,
        responders: Sequence[int] = (),
        title: str = "",
        rule: tuple[str, str] = NO_RULE,
    ) -> int:
        """Add an incident at ``start`` (moved up to the last start to keep the order),
        assigned by escalation ``rule`` (its id and name now, kept as history)."""
        if self.size >= MAX_ROWS:
            raise invalid("the emulator holds no more incidents")
        if self.size == len(self.cols["start"]):
            capacity = max(16, self.size * 2)
            for name, column in self.cols.items():
                grown = np.zeros(capacity, column.dtype)
                grown[: self.size] = column[: self.size]
                self.cols[name] = grown
        row = self.size
        if row and start < self.cols["start"][row - 1]:
            start = int(self.cols["start"][row - 1])
        values = {
            "start": start,
            "channel": channel,
            "severity": severity,
            "creator": creator,
            "title": self._title_id(title),
            "rule": self.rule_code(rule),
        }
        for name, column in self.cols.items():
            column[row] = values.get(name, 0)
        self.size += 1
        self.set_responder_columns(row, responders)
        return row

    def set_responder_columns(self, row: int, person_ids: Sequence[int]) -> None:
        """Put the first two of ``person_ids`` in the responder columns (0 for none); a
        longer or edited list lives in the overlay as ``responders``."""
        first_two = [*person_ids[:2], 0, 0]
        self.cols["resp1"][row], self.cols["resp2"][row] = first_two[0], first_two[1]

    def rule_code(self, rule: tuple[str, str]) -> int:
        """The ``rule`` column value of an escalation rule ``(id, name)``."""
        found = self._rule_index.get(rule)
        if found is None:
            found = self._rule_index[rule] = len(self.rules)
            self.rules.append(rule)
        return found

    def _title_id(self, title: str) -> int:
        found = self._title_index.get(title)
        if found is None:
            found = self._title_index[title] = len(self.titles)
            self.titles.append(title)
        return found

    # -- ids -----------------------------------------------------------------------------

    def incident_id(self, row: int) -> str:
        return object_id(int(self.cols["start"][row]), self.salt, row)

    def alert_id(self, row: int) -> str:
        """The id of the one alert a seeded or manual incident carries."""
        return object_id(int(self.cols["start"][row]), self.salt[::-1], row)

    def row_of(self, incident_id: str, *, include_deleted: bool = False) -> int:
        """The row of an incident id; ResourceNotFound when there is none."""
        text = str(incident_id).lower()
        if len(text) != 24:
            raise invalid(f"incident_id: {incident_id!r} is not a 24-hex id")
        try:
            row = int(text[-6:], 16)
        except ValueError:
            raise invalid(f"incident_id: {incident_id!r} is not a 24-hex id") from None
        if (
            row >= self.size
            or self.incident_id(row) != text
            or (self.cols["deleted"][row] and not include_deleted)
        ):
            raise not_found("incident", incident_id)
        return row

    # -- derived columns -----------------------------------------------------------------

    def progress_codes(self, rows: np.ndarray | slice) -> np.ndarray:
        closed = self.cols["close"][rows] > 0
        acked = self.cols["ack"][rows] > 0
        return np.where(closed, 2, np.where(acked, 1, 0)).astype(np.int8)

    # -- queries -------------------------------------------------------------------------

    def range_rows(self, start_time: int, end_time: int) -> tuple[int, int]:
        """Rows with ``start_time <= start <= end_time`` (both bounds inclusive)."""
        starts = self._col("start")
        lo = int(np.searchsorted(starts, start_time, side="left"))
        hi = int(np.searchsorted(starts, end_time, side="right"))
        return lo, hi

    def select(
        self,
        body: dict[str, Any],
        *,
        lo: int = 0,
        hi: int | None = None,
        viewer: int = 0,
        now: int = 0,
    ) -> np.ndarray:
        """Row numbers in ``[lo, hi)`` that match the list filters of ``body``, ascending;
        ``viewer`` is the member ``is_my_team`` / ``is_my_channel`` refer to, and an
        incident counts as snoozed while its ``snoozed_before`` is after ``now``."""
        hi = self.size if hi is None else hi
        window = slice(lo, hi)
        mask = ~self.cols["deleted"][window]
        channels = self._allowed_channels(body, viewer)
        if channels is not None:
            mask &= np.isin(self.cols["channel"][window], sorted(channels))
        for key in ("incident_severity", "severities"):
            if body.get(key):
                codes = name_codes(key, body[key], SEVERITIES)
                mask &= np.isin(self.cols["severity"][window], codes)
        if body.get("progress"):
            codes = name_codes("progress", body["progress"], PROGRESSES)
            mask &= np.isin(self.progress_codes(window), codes)
        for key, column in (("creator_ids", "creator"), ("closer_ids", "closer")):
            if body.get(key):
                mask &= np.isin(self.cols[column][window], body[key])
        if body.get("acker_ids"):
            mask &= np.isin(self.cols["acker"][window], body["acker_ids"]) & (
                self.cols["ack"][window] > 0
            )
        if body.get("responder_ids"):
            mask &= self._has_responder(body["responder_ids"], lo, hi)
        if body.get("is_snoozed") is not None:
            mask &= (self.cols["snoozed"][window] > now) == bool(body["is_snoozed"])
        if body.get("is_rare") is not None:
            mask &= (np.arange(lo, hi) % 7 == 0) == bool(body["is_rare"])
        if body.get("ever_muted"):
            mask &= False  # the emulator mutes nothing
        rows = np.nonzero(mask)[0] + lo
        if body.get("incident_ids") or body.get("nums"):
            rows = self._only_ids(rows, body.get("incident_ids") or [], body.get("nums") or [])
        if body.get("query"):
            rows = self._matching_title(rows, str(body["query"]))
        if body.get("labels"):
            rows = self._matching_labels(rows, body["labels"])
        if body.get("fields"):
            rows = self._matching_fields(rows, body["fields"])
        return rows

    def _has_responder(self, wanted: list[int], lo: int, hi: int) -> np.ndarray:
        """For rows ``[lo, hi)``: whether one of ``wanted`` responds (the first two
        responders are columns; an edited responder list lives in the overlay)."""
        hit = np.isin(self.cols["resp1"][lo:hi], wanted) | np.isin(
            self.cols["resp2"][lo:hi], wanted
        )
        people = set(wanted)
        for row, extra in self.overlay.items():
            if lo <= row < hi and extra.get("responders"):
                hit[row - lo] = any(r["person_id"] in people for r in extra["responders"])
        return hit

    def _allowed_channels(self, body: dict[str, Any], viewer: int) -> set[int] | None:
        """The channels the channel, team and "my" filters leave (None: no such filter);
        each filter narrows what the others allow."""
        directory = self.directory
        allowed: set[int] | None = None
        limits: list[set[int]] = []
        if body.get("channel_ids"):
            limits.append(set(body["channel_ids"]))
        if body.get("team_ids"):
            teams = set(body["team_ids"])
            limits.append(
                directory.channels_where(lambda c: directory.channel_teams.get(c) in teams)
            )
        if body.get("is_my_team") or body.get("is_my_channel"):
            mine = directory.teams_of(viewer)
            if body.get("is_my_team"):
                limits.append(
                    directory.channels_where(lambda c: directory.channel_teams.get(c) in mine)
                )
            if body.get("is_my_channel"):
                limits.append(
                    directory.channels_where(
                        lambda c: bool(directory.channel_managers.get(c, frozenset()) & mine)
                    )
                )
        for limit in limits:
            allowed = limit if allowed is None else allowed & limit
        return allowed

    def overlay_positions(self, rows: np.ndarray, key: str) -> list[tuple[int, Any]]:
        """``(position in rows, overlay value)`` for the rows whose overlay holds ``key``
        (``rows`` in any order, each row once)."""
        edited = [(row, extra[key]) for row, extra in self.overlay.items() if key in extra]
        if not edited or not len(rows):
            return []
        order = np.argsort(rows, kind="stable")
        found = []
        for row, value in edited:
            at = int(np.searchsorted(rows, row, sorter=order))
            if at < len(rows) and rows[order[at]] == row:
                found.append((int(order[at]), value))
        return found

    def _matching_labels(self, rows: np.ndarray, wanted: dict[str, str]) -> np.ndarray:
        """Rows carrying every wanted label: seeded incidents have ``service`` (see
        :func:`service_label`) and ``severity``; others the labels kept in the overlay."""
        c = self.cols
        keep = c["creator"][rows] == 0
        for key, value in wanted.items():
            if key == "service":
                names = self.directory.channel_names
                keep &= np.isin(
                    c["channel"][rows],
                    [ch for ch, name in names.items() if service_label(name) == value],
                )
            elif key == "severity":
                keep &= np.isin(
                    c["severity"][rows],
                    [i for i, name in enumerate(SEVERITIES) if name.lower() == value],
                )
            else:
                keep[:] = False
        for at, labels in self.overlay_positions(rows, "labels"):
            keep[at] = all(labels.get(k) == v for k, v in wanted.items())
        return rows[keep]

    def _matching_fields(self, rows: np.ndarray, wanted: dict[str, Any]) -> np.ndarray:
        """Rows whose custom fields hold every wanted value (seeded incidents have none)."""
        keep = np.zeros(len(rows), np.bool_)
        for at, fields in self.overlay_positions(rows, "fields"):
            keep[at] = all(fields.get(k) == v for k, v in wanted.items())
        return rows[keep]

    def _only_ids(self, rows: np.ndarray, incident_ids: list[str], nums: list[str]) -> np.ndarray:
        wanted: set[int] = set()
        for incident_id in incident_ids:
            try:
                wanted.add(self.row_of(incident_id))
            except ApiError:
                continue
        wanted_nums = {n.upper() for n in nums}
        if wanted_nums:
            wanted |= {int(r) for r in rows if self.incident_id(int(r))[-6:].upper() in wanted_nums}
        return rows[np.isin(rows, list(wanted))] if wanted else rows[:0]

    def _matching_title(self, rows: np.ndarray, query: str) -> np.ndarray:
        needle = query.lower()
        hits = [i for i, t in enumerate(self.titles) if needle in t.lower()]
        keep = np.isin(self.cols["title"][rows], hits)
        for at, title in self.overlay_positions(rows, "title"):
            keep[at] = needle in title.lower()
        return rows[keep]

    # -- materialising -------------------------------------------------------------------

    def to_dict(self, row: int) -> dict[str, Any]:
        """The full incident of ``row`` in wire form."""
        return self.dicts([row])[0]

    def dicts(self, rows: np.ndarray | list[int]) -> list[dict[str, Any]]:
        """The incidents of ``rows``; reads each column once for the whole batch."""
        picked = np.asarray(rows, dtype=np.int64)
        values = {name: column[picked].tolist() for name, column in self.cols.items()}
        return [
            self._assemble(row, {name: values[name][i] for name in _COLUMNS})
            for i, row in enumerate(picked.tolist())
        ]

    def _assemble(self, row: int, v: dict[str, Any]) -> dict[str, Any]:
        start, ack, close, channel = v["start"], v["ack"], v["close"], v["channel"]
        severity = SEVERITIES[v["severity"]]
        kind = v["closed_kind"]
        creator, closer = v["creator"], v["closer"]
        incident_id = object_id(start, self.salt, row)
        extra = self.overlay.get(row, {})
        directory = self.directory
        responders = extra.get("responders") or _responders(directory, v)
        assigned_to = extra.get("assigned_to") or _assignment(self.rules[v["rule"]], v, incident_id)
        integration_id = directory.channel_integrations.get(channel, 0) if not creator else 0
        owner = extra.get("owner_id", v["acker"] if ack else 0)
        last_time = max(start, ack, close)
        alert_cnt = int(extra.get("alert_cnt", 0 if creator else 1))
        record = {
            "incident_id": incident_id,
            "account_id": ACCOUNT_ID,
            "channel_id": channel,
            "integration_id": integration_id,
            "integration_ids": [integration_id] if integration_id else [],
            "integration_types": ["prometheus"] if integration_id else [],
            "data_source_id": integration_id,
            "data_source_ids": [integration_id] if integration_id else [],
            "data_source_type": "prometheus" if integration_id else "",
            "data_source_types": ["prometheus"] if integration_id else [],
            "dedup_key": extra.get("dedup_key", ""),
            "equals_md5": hashlib.md5(incident_id.encode()).hexdigest(),
            "start_time": start,
            "end_time": close if kind == CLOSED_BY_RECOVERY else 0,
            "last_time": last_time,
            "ack_time": ack,
            "close_time": close,
            "creator_id": creator,
            "closer_id": closer,
            "owner_id": owner,
            "incident_status": "Ok" if kind == CLOSED_BY_RECOVERY else severity,
            "incident_severity": severity,
            "progress": PROGRESSES[2 if close else (1 if ack else 0)],
            "title": extra.get("title", self.titles[v["title"]]),
            "description": extra.get("description", ""),
            "ai_summary": "",
            "impact": extra.get("impact", ""),
            "root_cause": extra.get("root_cause", ""),
            "resolution": extra.get("resolution", ""),
            "num": incident_id[-6:].upper(),
            "frequency": "frequent" if row % 7 else "rare",  # every 7th row is "rare"
            "created_at": start,
            "updated_at": extra.get("updated_at", last_time),
            "snoozed_before": v["snoozed"],
            "group_method": "p",
            "ever_muted": False,
            "labels": extra.get(
                "labels",
                {}
                if creator
                else {
                    "service": service_label(directory.channel_names.get(channel, "")),
                    "severity": severity.lower(),
                },
            ),
            "fields": extra.get("fields", {}),
            "assigned_to": assigned_to,
            "alert_cnt": alert_cnt,
            "active_alert_cnt": 0 if close else alert_cnt,
            "alert_event_cnt": int(extra.get("alert_event_cnt", alert_cnt)),
            "responders": responders,
            "account_name": directory.account_name,
            "account_locale": ACCOUNT_LOCALE,
            "account_time_zone": ACCOUNT_TIME_ZONE,
            "channel_name": directory.channel_names.get(channel, ""),
            "channel_status": "enabled",
            "detail_url": f"https://console.flashcat.cloud/incident/detail/{incident_id}",
            "silence_url": f"https://console.flashcat.cloud/channel/silence/{incident_id}",
            "post_mortem_id": extra.get("post_mortem_id", ""),
            "links": extra.get(
                "links",
                [] if creator else [_runbook_link(directory.channel_names.get(channel, ""))],
            ),
            "images": [],
            "manual_overrides": sorted(
                k
                for k in ("title", "description", "impact", "root_cause", "resolution")
                if k in extra
            ),
        }
        for key, person in (("closer", closer), ("creator", creator), ("owner", owner)):
            short = directory.person_short(person)
            if short:
                record[key] = short
        return record

    # -- overlay helpers -----------------------------------------------------------------

    def extra(self, row: int) -> dict[str, Any]:
        return self.overlay.setdefault(row, {})

    def emit(self, event_type: str, row: int, extra: dict[str, Any] | None = None) -> None:
        """Tell every hook about an incident event; ``extra`` adds fields to the incident."""
        if self.on_event:
            payload = {**self.to_dict(row), **(extra or {})}
            for hook in list(self.on_event):
                hook(event_type, payload)


def name_codes(field_name: str, value: Any, names: tuple[str, ...]) -> list[int]:
    """Positions in ``names`` of a comma-separated string or list of names.

    An unknown name is InvalidParameter naming the field, rather than a filter that
    silently matches nothing.
    """
    given = (
        [part.strip() for part in value.split(",") if part.strip()]
        if isinstance(value, str)
        else [str(v) for v in value or ()]
    )
    for name in given:
        if name not in names:
            raise invalid(f"{field_name}: {name!r} is not one of {', '.join(names)}")
    return [names.index(name) for name in given]


def _person_fields(directory: Directory, person_id: int) -> dict[str, Any]:
    short = directory.person_short(person_id) or {}
    return {k: short[k] for k in ("person_name", "email") if k in short}


def _responders(directory: Directory, v: dict[str, Any]) -> list[dict[str, Any]]:
    """The responders of a stored row: the first layer's person from the start, the next
    layer's from the escalation (or from the start when added alongside); whoever
    acknowledged carries the ack time."""
    out = []
    for person, assigned in (
        (v["resp1"], v["start"]),
        (v["resp2"], v["escalated_at"] or v["start"]),
    ):
        if person:
            out.append(
                {
                    "person_id": person,
                    "assigned_at": assigned,
                    "acknowledged_at": v["ack"] if v["ack"] and person == v["acker"] else 0,
                    **_person_fields(directory, person),
                }
            )
    return out


def _assignment(rule: tuple[str, str], v: dict[str, Any], incident_id: str) -> dict[str, Any]:
    """``assigned_to`` of a stored row: the escalation rule that applied when the incident
    was assigned (kept on the row), and the layer it had reached."""
    escalated = v["layer"] > 0
    people = (
        [v["resp2"]] if escalated and v["resp2"] else [p for p in (v["resp1"], v["resp2"]) if p]
    )
    return {
        "person_ids": people,
        "escalate_rule_id": rule[0],
        "escalate_rule_name": rule[1],
        "layer_idx": int(v["layer"]),
        "type": "escalate" if escalated else "assign",
        "assigned_at": v["escalated_at"] if escalated else v["start"],
        "id": incident_id[-22:],
    }


def _runbook_link(channel_name: str) -> dict[str, str]:
    """The link seeded and pushed incidents carry: their service's runbook."""
    return {
        "name": "Runbook",
        "endpoint": f"https://runbooks.example.com/{service_label(channel_name) or 'default'}",
        "open_type": "tab",
    }
