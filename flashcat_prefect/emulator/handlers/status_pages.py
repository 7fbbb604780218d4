"""Status pages: change events (incidents and maintenances) with their timelines, subscribers,
migration jobs from another status page provider, and the webhook delivery history.

Pages themselves are not created through the Open API, so any positive ``page_id`` names a
page. A change belongs to one page and is found only under it. A timeline entry's status
becomes the change's status, and its component changes become the change's affected
components. Subscribers are keyed by (page, recipient): importing a recipient again replaces
the earlier entry. A migration job runs for :data:`MIGRATION_SECONDS` of emulator time and then
reports ``completed`` with nothing imported and a warning saying so (the emulator never calls
Atlassian Statuspage); the third-party ``api_key`` it was given is never stored. The webhook
history lists the deliveries of the outbound webhook senders subscribed to the account
(:class:`~flashcat_prefect.emulator.outbound.OutboundWebhooks`), each target URL standing for
one webhook integration.
"""

from __future__ import annotations

import json
import zlib
from typing import Any

from flashcat_prefect.emulator.errors import invalid, not_found
from flashcat_prefect.emulator.handlers.base import CsvAnswer, RequestContext, handles
from flashcat_prefect.emulator.handlers.insights import to_csv
from flashcat_prefect.emulator.ids import ACCOUNT_ID
from flashcat_prefect.emulator.pagination import offset_page, page_request, paginate

CHANGES = "/status-page/change"
SUBSCRIBERS = "/status-page/subscriber"
MIGRATIONS = "/status-page/migration"
DELIVERIES = "/webhook/history"
MIGRATION_SECONDS = 5
"""Emulator seconds a migration job runs before it reports ``completed``."""
MIGRATION_STEPS = 3
NOTHING_FETCHED = (
    "the emulator never calls Atlassian Statuspage, so nothing was fetched or imported"
)
"""The warning a finished migration job reports (its imported counts all stay 0)."""

Record = dict[str, Any]


def _records(ctx: RequestContext, prefix: str) -> dict[Any, Record]:
    return ctx.state.store.collection(prefix).records


def _page_id(ctx: RequestContext) -> int:
    page_id = ctx.body.get("page_id")
    if not isinstance(page_id, int) or page_id <= 0:
        raise invalid("page_id: must be a positive integer")
    return page_id


def _change(ctx: RequestContext) -> Record:
    """The change the request names on its page (ResourceNotFound otherwise)."""
    change = _records(ctx, CHANGES).get(ctx.body.get("change_id"))
    if change is None or change["page_id"] != _page_id(ctx):
        raise not_found("change_id", ctx.body.get("change_id"))
    return change


def _timeline_entry(ctx: RequestContext, values: Record) -> Record:
    return {
        "update_id": ctx.state.ids.object_id(ctx.now),
        "at_seconds": values.get("at_seconds") or ctx.now,
        "status": values.get("status") or "",
        "description": values.get("description") or "",
        "component_changes": [dict(c) for c in values.get("component_changes") or []],
    }


def _apply_timeline(change: Record) -> None:
    """The latest timeline entry sets the change's status and affected components."""
    updates = sorted(change["updates"], key=lambda u: u["at_seconds"])
    change["updates"] = updates
    if updates and updates[-1]["status"]:
        change["status"] = updates[-1]["status"]
    affected: dict[str, Record] = {}
    for update in updates:
        for component in update["component_changes"]:
            affected[component["component_id"]] = {
                "component_id": component["component_id"],
                "status": component.get("status") or "",
            }
    change["affected_components"] = list(affected.values())
    if change["status"] in ("resolved", "completed") and not change["close_at_seconds"]:
        change["close_at_seconds"] = updates[-1]["at_seconds"] if updates else 0


@handles(f"{CHANGES}/create")
def create_change(ctx: RequestContext) -> Record:
    body = ctx.body
    change_id = ctx.state.ids.integer()
    change: Record = {
        "change_id": change_id,
        "page_id": _page_id(ctx),
        "type": body["type"],
        "title": body["title"],
        "description": body.get("description", ""),
        "status": body["status"],
        "responder_ids": list(body.get("responders") or []),
        "linked_change_ids": list(body.get("linked_changes") or []),
        "start_at_seconds": body.get("start_at_seconds") or ctx.now,
        "close_at_seconds": body.get("close_at_seconds") or 0,
        "is_retrospective": bool(body.get("is_retrospective")),
        "notify_subscribers": bool(body.get("notify_subscribers")),
        "auto_update_by_schedule": bool(body.get("auto_update_by_schedule")),
        "updates": [
            _timeline_entry(ctx, {"status": body["status"], **u}) for u in body.get("updates") or []
        ],
    }
    _apply_timeline(change)
    _records(ctx, CHANGES)[change_id] = change
    return {"change_id": change_id, "change_name": change["title"]}


@handles(f"{CHANGES}/info")
def change_info(ctx: RequestContext) -> Record:
    return _change(ctx)


@handles(f"{CHANGES}/list")
def list_changes(ctx: RequestContext) -> Record:
    page_id, body = _page_id(ctx), ctx.body
    start, end = body.get("start_at_seconds") or 0, body.get("end_at_seconds") or 0
    items = [
        c
        for c in _records(ctx, CHANGES).values()
        if c["page_id"] == page_id
        and c["type"] == body["type"]
        and c["status"] == body["status"]
        and (not start or c["start_at_seconds"] >= start)
        and (not end or c["start_at_seconds"] <= end)
    ]
    return {"items": sorted(items, key=lambda c: -c["start_at_seconds"])}


@handles(f"{CHANGES}/update")
def update_change(ctx: RequestContext) -> None:
    """Patch semantics: only the fields the request carries change."""
    change, body = _change(ctx), ctx.body
    if "title" in body:
        change["title"] = body["title"]
    if "responders" in body:
        change["responder_ids"] = list(body["responders"] or [])
    if "linked_changes" in body:
        change["linked_change_ids"] = list(body["linked_changes"] or [])


@handles(f"{CHANGES}/delete")
def delete_change(ctx: RequestContext) -> None:
    del _records(ctx, CHANGES)[_change(ctx)["change_id"]]


def _update(ctx: RequestContext, change: Record) -> Record:
    for update in change["updates"]:
        if update["update_id"] == ctx.body["update_id"]:
            return update
    raise not_found("update_id", ctx.body["update_id"])


@handles(f"{CHANGES}/timeline/create")
def create_timeline(ctx: RequestContext) -> Record:
    change = _change(ctx)
    entry = _timeline_entry(ctx, ctx.body)
    change["updates"].append(entry)
    _apply_timeline(change)
    return {"update_id": entry["update_id"]}


@handles(f"{CHANGES}/timeline/update")
def update_timeline(ctx: RequestContext) -> None:
    change = _change(ctx)
    entry = _update(ctx, change)
    for key in ("at_seconds", "description"):
        if key in ctx.body:
            entry[key] = ctx.body[key]
    _apply_timeline(change)


@handles(f"{CHANGES}/timeline/delete")
def delete_timeline(ctx: RequestContext) -> None:
    change = _change(ctx)
    change["updates"].remove(_update(ctx, change))
    _apply_timeline(change)


# -- subscribers ----------------------------------------------------------------------------


@handles(f"{SUBSCRIBERS}/import")
def import_subscribers(ctx: RequestContext) -> None:
    page_id, records = _page_id(ctx), _records(ctx, SUBSCRIBERS)
    for entry in ctx.body.get("subscribers") or []:
        recipient = entry["recipient"].strip()
        if not recipient:
            raise invalid("subscribers.recipient: must not be empty")
        components = list(entry.get("component_ids") or [])
        records[(page_id, recipient)] = {
            "page_id": page_id,
            "recipient": recipient,
            "method": ctx.body["method"],
            "components": [{"component_id": c} for c in components],
            "all": bool(entry.get("all")) or not components,
            "locale": entry.get("locale") or "en-US",
        }


def _subscribers(ctx: RequestContext, component_ids: list[str]) -> list[Record]:
    page_id = _page_id(ctx)
    wanted = set(component_ids)
    return [
        {k: v for k, v in s.items() if k != "page_id"}
        for s in _records(ctx, SUBSCRIBERS).values()
        if s["page_id"] == page_id
        and (not wanted or s["all"] or wanted & {c["component_id"] for c in s["components"]})
    ]


@handles(f"{SUBSCRIBERS}/list")
def list_subscribers(ctx: RequestContext) -> Record:
    text = ctx.body.get("component_ids") or ""
    items = _subscribers(ctx, [c for c in text.split(",") if c])
    page = page_request(ctx.body, limit_max=ctx.endpoint.page_limit_max, default_limit=10)
    chunk, meta = paginate(items, page)
    return {"items": chunk, "total": meta["total"], "has_next_page": meta["has_next_page"]}


@handles(f"{SUBSCRIBERS}/export")
def export_subscribers(ctx: RequestContext) -> CsvAnswer:
    items = [
        {**s, "components": ";".join(c["component_id"] for c in s["components"])}
        for s in _subscribers(ctx, list(ctx.body.get("component_ids") or []))
    ]
    columns = ["recipient", "method", "components", "all", "locale"]
    return CsvAnswer(f"subscribers-{_page_id(ctx)}.csv", to_csv(columns, items))


# -- migration jobs -------------------------------------------------------------------------


def _start_migration(ctx: RequestContext, phase: str, target_page_id: int) -> Record:
    job_id = ctx.state.ids.short_uuid("mig")
    _records(ctx, MIGRATIONS)[job_id] = {
        "job_id": job_id,
        "account_id": ACCOUNT_ID,
        "source_page_id": ctx.body["source_page_id"],
        "target_page_id": target_page_id,
        "phase": phase,
        "status": "running",
        "error": "",
        "created_at": ctx.now,
        "updated_at": ctx.now,
    }
    return {"job_id": job_id}


@handles("/status-page/migrate-structure")
def migrate_structure(ctx: RequestContext) -> Record:
    return _start_migration(ctx, "structure", ctx.state.ids.integer())


@handles("/status-page/migrate-email-subscribers")
def migrate_email_subscribers(ctx: RequestContext) -> Record:
    target = ctx.body["target_page_id"]
    if target <= 0:
        raise invalid("target_page_id: must be a positive integer")
    return _start_migration(ctx, "subscribers", target)


def _job(ctx: RequestContext) -> Record:
    """The job the request names, advanced to ``completed`` once its time has run out."""
    job = _records(ctx, MIGRATIONS).get(ctx.body["job_id"])
    if job is None:
        raise not_found("job_id", ctx.body["job_id"])
    if job["status"] == "running" and ctx.now - job["created_at"] >= MIGRATION_SECONDS:
        job.update(status="completed", updated_at=job["created_at"] + MIGRATION_SECONDS)
    return job


@handles(f"{MIGRATIONS}/status")
def migration_status(ctx: RequestContext) -> Record:
    job = _job(ctx)
    done = (
        MIGRATION_STEPS
        if job["status"] == "completed"
        else min(MIGRATION_STEPS - 1, ctx.now - job["created_at"])
    )
    warnings = [NOTHING_FETCHED] if job["status"] == "completed" else []
    return {
        **job,
        "progress": {"total_steps": MIGRATION_STEPS, "completed_steps": done, "warnings": warnings},
    }


@handles(f"{MIGRATIONS}/cancel")
def cancel_migration(ctx: RequestContext) -> None:
    job = _job(ctx)
    if job["status"] != "running":
        raise invalid(f"job_id: the job is already {job['status']}")
    job.update(status="cancelled", updated_at=ctx.now)


# -- webhook delivery history ---------------------------------------------------------------


def integration_id_for(url: str) -> int:
    """A stable positive id for the webhook target at ``url`` (the emulator's integration)."""
    return zlib.crc32(url.encode()) or 1


def _deliveries(ctx: RequestContext) -> list[Record]:
    """Every delivery the outbound webhook senders subscribed to this account have made."""
    records = []
    for hook in ctx.state.on_event:
        for delivery in list(getattr(hook, "deliveries", ())):
            payload = json.loads(delivery.body)
            subject = payload.get("incident") or payload.get("alert") or {}
            ok = delivery.status is not None and 200 <= delivery.status < 300
            records.append(
                {
                    "integration_id": integration_id_for(delivery.url),
                    "event_id": delivery.event_id,
                    "webhook_type": "incident" if "incident" in payload else "alert",
                    "event_type": delivery.event_type,
                    "channel_id": subject.get("channel_id", 0),
                    "ref_id": subject.get("incident_id") or subject.get("alert_id") or "",
                    "request_body": delivery.body.decode(),
                    "endpoint": delivery.url,
                    "attempt": delivery.attempts,
                    "duration": 0,
                    "status": "success" if ok else "failed",
                    "status_code": delivery.status or 0,
                    "error_message": delivery.error,
                    "event_time": str(payload.get("event_time", 0)),
                }
            )
    return records


@handles(f"{DELIVERIES}/list")
def list_deliveries(ctx: RequestContext) -> Record:
    body = ctx.body
    start, end = body["start_time"], body["end_time"]
    if end < start:
        raise invalid("end_time: must not be before start_time")
    items = [
        d
        for d in _deliveries(ctx)
        if start <= int(d["event_time"]) <= end
        and (not body.get("integration_id") or d["integration_id"] == body["integration_id"])
        and (not body.get("status") or d["status"] == body["status"])
        and (not body.get("ref_id") or d["ref_id"] == body["ref_id"])
        and (not body.get("event_types") or d["event_type"] in body["event_types"])
    ]
    items.sort(key=lambda d: int(d["event_time"]), reverse=not body.get("asc", False))
    chunk, meta = offset_page(items, body, limit_max=ctx.endpoint.page_limit_max)
    return {
        "items": chunk,
        "total": meta["total"],
        "search_after_ctx": meta.get("search_after_ctx", ""),
    }


@handles(f"{DELIVERIES}/detail")
def delivery_detail(ctx: RequestContext) -> Record:
    wanted = (ctx.body["integration_id"], ctx.body["event_id"])
    for delivery in reversed(_deliveries(ctx)):
        if (delivery["integration_id"], delivery["event_id"]) == wanted:
            return delivery
    raise not_found("event_id", ctx.body["event_id"])
