"""Incident work items (actions and follow-ups): versioned records answered as ``{item}``.

Every write answers ``{item, idempotent_replay, added_assignee_ids[, removed_assignee_ids]}``
with the whole item after the write. Writes that carry ``idempotency_key`` (create,
complete, convert, post-mortem bind) answer a repeated key with the first answer and
``idempotent_replay: true`` instead of writing again. Each write adds one to ``version``; the
``version`` a write names is not compared (the API facts do not say what a stale one does).
The list pages with ``cursor`` / ``next_cursor`` / ``has_more``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flashcat_prefect.emulator.errors import invalid
from flashcat_prefect.emulator.handlers.base import RequestContext, handles
from flashcat_prefect.emulator.handlers.incidents import check_people
from flashcat_prefect.emulator.pagination import page_request

PREFIX = "/incident/work-item"
DEFAULT_STATUS = "open"
ITEM_TYPES = ("action", "follow_up")

Answer = dict[str, Any]


def _records(ctx: RequestContext) -> dict[Any, dict[str, Any]]:
    return ctx.state.store.collection(PREFIX).records


def _replayed(ctx: RequestContext, write: Callable[[], Answer]) -> Answer:
    """Run ``write`` once per idempotency key; a repeated key gets the first answer back."""
    key = ctx.body.get("idempotency_key")
    if not key:
        return write()
    slot = (ctx.endpoint.path, str(key))
    first = ctx.state.replays.get(slot)
    if first is not None:
        return {**first, "idempotent_replay": True}
    answer = ctx.state.replays[slot] = write()
    return answer


def _answer(
    item: dict[str, Any], added: list[int] | None = None, removed: list[int] | None = None
) -> Answer:
    answer: Answer = {
        "item": dict(item),
        "idempotent_replay": False,
        "added_assignee_ids": added or [],
    }
    if removed is not None:
        answer["removed_assignee_ids"] = removed
    return answer


def _current(ctx: RequestContext) -> dict[str, Any]:
    """The item the request names (ResourceNotFound when there is none)."""
    return ctx.state.store.collection(PREFIX).get(ctx.body["work_item_id"])


def _touch(ctx: RequestContext, item: dict[str, Any], **changes: Any) -> dict[str, Any]:
    item.update(
        changes, version=item["version"] + 1, updated_at_seconds=ctx.now, updated_by=ctx.person_id
    )
    return item


@handles(f"{PREFIX}/create")
def create(ctx: RequestContext) -> Answer:
    def write() -> Answer:
        body = ctx.body
        ctx.state.incidents.row_of(body["incident_id"])
        assignees = list(dict.fromkeys(body.get("assignee_ids") or []))
        check_people(ctx, assignees)
        item = {
            "work_item_id": ctx.state.ids.object_id(ctx.now),
            "incident_id": body["incident_id"],
            "item_type": body["item_type"],
            "title": body["title"],
            "description": body.get("description", ""),
            "priority": body.get("priority", ""),
            "status": body.get("status") or DEFAULT_STATUS,
            "assignee_ids": assignees,
            "post_mortem_id": body.get("post_mortem_id", ""),
            "source_kind": "native",
            "legacy_source_id": "",
            "version": 1,
            "created_at_seconds": ctx.now,
            "created_by": ctx.person_id,
            "updated_at_seconds": ctx.now,
            "updated_by": ctx.person_id,
            "converted_at_seconds": 0,
            "converted_by": 0,
        }
        _records(ctx)[item["work_item_id"]] = item
        return _answer(item, assignees)

    return _replayed(ctx, write)


@handles(f"{PREFIX}/update")
def update(ctx: RequestContext) -> Answer:
    item = _current(ctx)
    changes = {
        k: ctx.body[k] for k in ("title", "description", "priority", "status") if k in ctx.body
    }
    return _answer(_touch(ctx, item, **changes))


@handles(f"{PREFIX}/assignees/reset")
def reset_assignees(ctx: RequestContext) -> Answer:
    item = _current(ctx)
    wanted = list(dict.fromkeys(ctx.body.get("assignee_ids") or []))
    check_people(ctx, wanted)
    before = item["assignee_ids"]
    _touch(ctx, item, assignee_ids=wanted)
    return _answer(
        item, [p for p in wanted if p not in before], [p for p in before if p not in wanted]
    )


@handles(f"{PREFIX}/complete")
def complete(ctx: RequestContext) -> Answer:
    return _replayed(
        ctx,
        lambda: _answer(_touch(ctx, _current(ctx), status=ctx.body["target_status"]), removed=[]),
    )


@handles(f"{PREFIX}/convert")
def convert(ctx: RequestContext) -> Answer:
    """An action becomes a follow-up and the other way round."""

    def write() -> Answer:
        item = _current(ctx)
        other = ITEM_TYPES[1 - ITEM_TYPES.index(item["item_type"])]
        status = ctx.body.get("target_status") or item["status"]
        return _answer(
            _touch(
                ctx,
                item,
                item_type=other,
                status=status,
                converted_at_seconds=ctx.now,
                converted_by=ctx.person_id,
            ),
            removed=[],
        )

    return _replayed(ctx, write)


def _matching(ctx: RequestContext) -> list[dict[str, Any]]:
    body = ctx.body
    items = sorted(
        _records(ctx).values(), key=lambda i: (i["created_at_seconds"], i["work_item_id"])
    )
    for key in ("incident_id", "item_type", "post_mortem_id"):
        if body.get(key):
            items = [i for i in items if i[key] == body[key]]
    if body.get("assignee_id"):
        items = [i for i in items if body["assignee_id"] in i["assignee_ids"]]
    return items


@handles(f"{PREFIX}/list")
def list_items(ctx: RequestContext) -> Answer:
    items = _matching(ctx)
    limit = page_request(
        {"limit": ctx.body.get("limit")}, limit_max=ctx.endpoint.page_limit_max
    ).limit
    cursor = ctx.body.get("cursor")
    try:
        offset = int(str(cursor), 16) if cursor else 0
    except ValueError:
        raise invalid(f"cursor: {cursor!r} is not a cursor this list issued") from None
    chunk = items[offset : offset + limit]
    answer: Answer = {
        "items": [dict(i) for i in chunk],
        "has_more": offset + len(chunk) < len(items),
    }
    if answer["has_more"]:
        answer["next_cursor"] = f"{offset + len(chunk):024x}"
    return answer


@handles(f"{PREFIX}/post-mortem/bind")
def bind_post_mortem(ctx: RequestContext) -> Answer:
    """Attach every work item of the incident to the post-mortem."""

    def write() -> Answer:
        ctx.state.incidents.row_of(ctx.body["incident_id"])
        bound = [
            _touch(ctx, item, post_mortem_id=ctx.body["post_mortem_id"])
            for item in _records(ctx).values()
            if item["incident_id"] == ctx.body["incident_id"]
        ]
        return {"items": [dict(i) for i in bound], "has_more": False, "idempotent_replay": False}

    return _replayed(ctx, write)
