"""Prefect events the routines emit, so that automations and deployment triggers can chain on them.

Every event names what it is about (``resource``) and what else took part (``related``):
the Flashduty account, identified by a hash of its app key (never the key itself), and the
calendar, channels, rules or export files involved. Resource labels starting with
``flashcat.`` carry what a trigger may want to match on (e.g. ``flashcat.changed``).

Dry runs write nothing and emit nothing.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from prefect.events import emit_event

if TYPE_CHECKING:
    from flashcat_prefect.credentials import FlashcatCredentials

CALENDAR_SYNCED = "flashcat.calendar.synced"
RULE_ROTATED = "flashcat.rule.rotated"
PROFILE_APPLIED = "flashcat.profile.applied"
INCIDENTS_EXPORTED = "flashcat.incidents.exported"
EVENT_NAMES = (CALENDAR_SYNCED, RULE_ROTATED, PROFILE_APPLIED, INCIDENTS_EXPORTED)

Resource = dict[str, str]


def account_fingerprint(credentials: FlashcatCredentials) -> str:
    """A short, stable name for the account behind an app key: a SHA-256 prefix, not the key."""
    secret = credentials.app_key.get_secret_value().encode()
    return hashlib.sha256(b"flashcat-account:" + secret).hexdigest()[:16]


def account_resource(credentials: FlashcatCredentials, role: str = "flashcat-account") -> Resource:
    host = urlsplit(credentials.base_url).netloc or credentials.base_url
    return {
        "prefect.resource.id": f"flashcat.account.{account_fingerprint(credentials)}",
        "prefect.resource.role": role,
        "prefect.resource.name": host,
    }


def calendar_resource(cal_id: str, name: str | None = None, role: str = "calendar") -> Resource:
    resource = {"prefect.resource.id": f"flashcat.calendar.{cal_id}", "prefect.resource.role": role}
    if name:
        resource["prefect.resource.name"] = name
    return resource


def channel_resource(channel_id: int) -> Resource:
    return {
        "prefect.resource.id": f"flashcat.channel.{channel_id}",
        "prefect.resource.role": "channel",
    }


def rule_resource(rule_id: str, name: str, role: str = "rule") -> Resource:
    return {
        "prefect.resource.id": f"flashcat.rule.{rule_id}",
        "prefect.resource.role": role,
        "prefect.resource.name": name,
    }


def file_resource(path: str | Path, role: str = "export-file") -> Resource:
    """A file as a related resource, named by its ``file://`` URI (the same key as its asset)."""
    return {"prefect.resource.id": file_uri(path), "prefect.resource.role": role}


def file_uri(path: str | Path) -> str:
    return Path(path).resolve().as_uri()


def flag(value: bool) -> str:
    """Resource labels are strings: ``"true"`` or ``"false"``."""
    return "true" if value else "false"


def emit(
    event: str,
    resource: Mapping[str, str],
    related: Iterable[Mapping[str, str]],
    payload: Mapping[str, Any],
) -> None:
    """Emit one event (the run's flow, flow run and deployment are related automatically)."""
    emit_event(
        event=event,
        resource=dict(resource),
        related=[dict(item) for item in related],
        payload=dict(payload),
    )


# --- one function per routine (each called once, at the end of a run that wrote) -------------


def calendar_synced(credentials: FlashcatCredentials, report: Any) -> None:
    """``flashcat.calendar.synced`` for a holiday sync (a ``CalendarSyncReport``).

    ``flashcat.changed`` is ``"true"`` when the run created, updated or deleted an event.
    """
    changed = bool(report.created or report.updated or report.deleted)
    emit(
        CALENDAR_SYNCED,
        {
            **calendar_resource(report.cal_id, report.calendar_name),
            "flashcat.changed": flag(changed),
        },
        [account_resource(credentials)],
        {
            "cal_id": report.cal_id,
            "created": report.created,
            "updated": report.updated,
            "deleted": report.deleted,
            "unchanged": report.unchanged,
            "skipped": report.skipped,
            "calendar_created": report.calendar_created,
            "years": list(report.years),
            "sources": list(report.sources),
        },
    )


def rules_rotated(credentials: FlashcatCredentials, report: Any) -> None:
    """One ``flashcat.rule.rotated`` per rule of a rotation (a ``RotationReport``)."""
    account = account_resource(credentials)
    for rule in report.rules:
        emit(
            RULE_ROTATED,
            {**rule_resource(rule.rule_id, rule.rule_name), "flashcat.changed": flag(rule.written)},
            [account, channel_resource(rule.channel_id)],
            {
                "at": report.at.isoformat(),
                "channel_id": rule.channel_id,
                "rule_name": rule.rule_name,
                "written": rule.written,
                "diff": list(rule.diff),
            },
        )


def profile_applied(credentials: FlashcatCredentials, report: Any, cal_id: str | None) -> None:
    """``flashcat.profile.applied`` for a calendar-profile run (a ``CalendarProfileReport``)."""
    related = [account_resource(credentials)]
    if cal_id:
        related.append(calendar_resource(cal_id, role="day-off-source"))
    related += [channel_resource(c) for c in sorted({rule.channel_id for rule in report.rules})]
    related += [rule_resource(rule.rule_id, rule.rule_name) for rule in report.rules]
    changed = any(rule.written for rule in report.rules)
    emit(
        PROFILE_APPLIED,
        {
            "prefect.resource.id": f"flashcat.profile.{report.profile}",
            "prefect.resource.name": report.profile,
            "flashcat.changed": flag(changed),
        },
        related,
        {
            "day": report.day.isoformat(),
            "is_off": report.is_off,
            "reason": report.reason,
            "profile": report.profile,
            "changed_rules": [rule.rule_name for rule in report.rules if rule.written],
        },
    )


def incidents_exported(
    credentials: FlashcatCredentials, report: Any, output_dir: Path, upstream: str
) -> None:
    """``flashcat.incidents.exported`` for a metrics export (a ``MetricsExportReport``).

    The resource is the export directory; the files and the upstream incidents asset are
    related by their asset keys.
    """
    emit(
        INCIDENTS_EXPORTED,
        {
            "prefect.resource.id": f"flashcat.export.{file_uri(output_dir)}",
            "prefect.resource.name": output_dir.resolve().name,
        },
        [
            account_resource(credentials),
            {"prefect.resource.id": upstream, "prefect.resource.role": "source-asset"},
            *(file_resource(path) for path in report.files.values()),
        ],
        {
            "rows": report.incident_count,
            "fetched": report.fetched_count,
            "new": report.new_count,
            "updated": report.updated_count,
            "window": {"start": report.start.isoformat(), "end": report.end.isoformat()},
            "time_zone": report.time_zone,
            "incremental": report.incremental,
            "path": str(output_dir.resolve()),
            "files": {name: file_uri(path) for name, path in report.files.items()},
        },
    )
