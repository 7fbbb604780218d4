"""Everything one emulated account holds, and the clock it lives by.

The clock: with ``now=None`` the seed data ends at the current hour and the clock is the
real time; with ``now=T`` the seed data ends at ``T`` and the clock starts at ``T`` and
runs at real speed from there. Either way every seeded incident lies before the clock, so
new incidents are always the newest.
"""

from __future__ import annotations

import hashlib
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from flashcat_prefect.api import CATALOG
from flashcat_prefect.emulator.ids import ACCOUNT_NAME, IdFactory
from flashcat_prefect.emulator.incident_table import MAX_ROWS, Directory, EventHook, IncidentTable
from flashcat_prefect.emulator.seed import build_seed
from flashcat_prefect.emulator.store import ResourceStore, build_specs

SEEDS = ("demo", "empty")
ESCALATION_RULES = "/channel/escalate/rule"
DIRECTORY_PREFIXES = ("/member", "/team", "/channel")
"""Writes under these paths change what incidents show; see ``refresh_directory``."""
_SPECS = build_specs(CATALOG)


@dataclass
class Integration:
    """An alert integration: pushes with its key land on its channel."""

    integration_id: int
    channel_id: int
    name: str
    key: str = field(repr=False)


def floor_to_hour(seconds: float) -> int:
    return int(seconds) // 3600 * 3600


def _is_integer(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _check_seed_settings(
    seed: str, seed_number: int, now: float | None, incidents: int | None
) -> None:
    """ValueError naming the first seed setting that cannot build an account."""
    if seed not in SEEDS:
        raise ValueError(f"seed must be one of {', '.join(SEEDS)}, not {seed!r}")
    if not _is_integer(seed_number):
        raise ValueError(f"seed_number must be an integer, not {seed_number!r}")
    if now is not None and (isinstance(now, bool) or not isinstance(now, int | float)):
        raise ValueError(f"now must be unix seconds (a number), not {now!r}")
    if incidents is not None and not (_is_integer(incidents) and 0 <= incidents <= MAX_ROWS):
        raise ValueError(f"incidents must be an integer from 0 to {MAX_ROWS}, not {incidents!r}")


class EmulatorState:
    """The data of one emulated account (members, channels, rules, incidents, ...)."""

    def __init__(
        self,
        *,
        seed: str = "demo",
        seed_number: int = 0,
        now: int | None = None,
        incidents: int | None = None,
        secret: str = "",
    ) -> None:
        self._secret = secret
        self.lock = threading.RLock()
        self.on_event: list[EventHook] = []
        self.seed = "demo"
        self.seed_number = 0
        self.incident_target: int | None = None
        self._fixed_now: int | None = None
        self.reset(seed=seed, seed_number=seed_number, now=now, incidents=incidents)

    # -- clock ---------------------------------------------------------------------------

    def clock(self) -> int:
        """The emulator's current unix time in seconds."""
        return int(time.time() + self._offset)

    # -- set-up --------------------------------------------------------------------------

    def reset(
        self,
        *,
        seed: str | None = None,
        seed_number: int | None = None,
        now: int | None = None,
        incidents: int | None = None,
    ) -> None:
        """Drop every change and build the seed again (same settings unless given).

        A bad setting raises ValueError naming it before anything changes, so a failed
        reset leaves the account as it was.
        """
        seed = self.seed if seed is None else seed
        seed_number = self.seed_number if seed_number is None else seed_number
        incidents = self.incident_target if incidents is None else incidents
        now = self._fixed_now if now is None else now
        _check_seed_settings(seed, seed_number, now, incidents)
        with self.lock:
            self.seed, self.seed_number, self.incident_target = seed, seed_number, incidents
            self._fixed_now = now
            real = time.time()
            self.now = int(now) if now is not None else floor_to_hour(real)
            self._offset = (self.now - real) if now is not None else 0.0
            self.ids = IdFactory(self.seed_number, self.now)
            self.store = ResourceStore(_SPECS, self.ids, self.clock)
            self.incidents = IncidentTable(self._salt())
            self.incidents.on_event = self.on_event
            self.alerts: dict[str, dict[str, Any]] = {}
            self.alert_keys: dict[tuple[int, str], str] = {}
            self.changes: dict[tuple[int, str], dict[str, Any]] = {}
            self.replays: dict[tuple[str, str], Any] = {}
            """(path, idempotency_key) -> the answer a keyed write gave the first time"""
            self.integrations: dict[str, Integration] = {}
            self.acting_person_id = 0
            build_seed(
                self,
                seed,
                seed_number=self.seed_number,
                now=self.now,
                incidents=self.incident_target,
            )
            self.refresh_directory()

    def refresh_directory(self) -> None:
        """Rebuild the names incidents show (people, channels, teams, rules) from the store.

        Called after the seed and after any write to members, teams, channels or their
        escalation rules, so incidents always show current names.
        """
        store = self.store
        rules: dict[int, tuple[str, str]] = {}
        escalation = sorted(
            store.collection(ESCALATION_RULES).values(),
            key=lambda r: (r.get("priority") or 0, r.get("created_at") or 0),
        )
        for rule in escalation:
            if rule.get("status") == "enabled":
                rules.setdefault(rule["channel_id"], (rule["rule_id"], rule["rule_name"]))
        channels = store.collection("/channel").values()
        self.incidents.directory = Directory(
            person_names={
                m["member_id"]: m.get("member_name", "")
                for m in store.collection("/member").values()
            },
            channel_names={c["channel_id"]: c.get("channel_name", "") for c in channels},
            channel_teams={c["channel_id"]: c.get("team_id") or 0 for c in channels},
            channel_rules=rules,
            channel_integrations={
                i.channel_id: i.integration_id for i in self.integrations.values()
            },
            team_names={
                t["team_id"]: t.get("team_name", "") for t in store.collection("/team").values()
            },
            team_members={
                t["team_id"]: frozenset(t.get("person_ids") or ())
                for t in store.collection("/team").values()
            },
            channel_managers={
                c["channel_id"]: frozenset(c.get("managing_team_ids") or [c.get("team_id") or 0])
                for c in channels
            },
            account_name=ACCOUNT_NAME,
        )

    def _salt(self) -> str:
        return hashlib.sha256(f"salt-{self.seed_number}".encode()).hexdigest()[:10]

    def integration_key(self, integration_id: int) -> str:
        """The push key of an integration: derived from the emulator's secret, never logged."""
        digest = hashlib.sha256(f"{self._secret}:integration:{integration_id}".encode())
        return digest.hexdigest()[:32]

    def add_integration(self, integration_id: int, channel_id: int, name: str) -> Integration:
        integration = Integration(
            integration_id, channel_id, name, self.integration_key(integration_id)
        )
        self.integrations[integration.key] = integration
        return integration

    def integration_for_channel(self, channel_id: int | None = None) -> Integration:
        for integration in self.integrations.values():
            if channel_id is None or integration.channel_id == channel_id:
                return integration
        raise LookupError(f"no integration on channel {channel_id}")

    def add_hook(self, hook: EventHook) -> None:
        """Call ``hook(event_type, payload)`` on every incident and alert event.

        Hooks run synchronously inside the request that caused the event (on the server's
        event loop, holding the state lock): keep them quick, or hand the work to a thread.
        """
        self.on_event.append(hook)

    def resource_counts(self) -> dict[str, int]:
        counts = self.store.counts()
        counts["/incident"] = int(self.incidents.size)
        counts["/alert"] = len(self.alerts)
        counts["/change"] = len(self.changes)
        return counts
