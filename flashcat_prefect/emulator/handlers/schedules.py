"""Schedules: shifts computed from their layers.

A layer hands over every ``rotation_value`` ``rotation_unit`` (or ``rotation_duration``
seconds) starting at ``layer_start``/``handoff_time``, cycling through its groups; each
shift is ``{start, end, group, index}`` clipped to the requested window. The final schedule
takes, at each moment, the shift of the highest layer (the last one) that has one.
Restrictions (``restrict_mode``, ``restrict_periods``, ``day_mask``) are kept but not applied.
"""

from __future__ import annotations

import itertools
from typing import Any

from flashcat_prefect.emulator.errors import invalid
from flashcat_prefect.emulator.handlers.base import RequestContext, handles
from flashcat_prefect.emulator.pagination import page_request, paginate
from flashcat_prefect.emulator.store import filter_records

SCHEDULES = "/schedule"
_UNIT_SECONDS = {"hour": 3600, "day": 86400, "week": 7 * 86400, "month": 30 * 86400}
DEFAULT_WINDOW = 7 * 86400
MAX_SHIFTS = 2000


def layer_shifts(layer: dict[str, Any], start: int, end: int) -> list[dict[str, Any]]:
    """The shifts of one layer that overlap ``[start, end)``."""
    groups = layer.get("groups") or []
    step = int(layer.get("rotation_value") or 0) * _UNIT_SECONDS.get(
        str(layer.get("rotation_unit")), 0
    ) or int(layer.get("rotation_duration") or 0)
    if not groups or step <= 0:
        return []
    anchor = int(layer.get("layer_start") or layer.get("handoff_time") or start)
    layer_end = int(layer.get("layer_end") or 0) or end
    begin = max(start, anchor)
    finish = min(end, layer_end)
    shifts: list[dict[str, Any]] = []
    if finish <= begin:
        return shifts
    index = (begin - anchor) // step
    while len(shifts) < MAX_SHIFTS:
        shift_start = anchor + index * step
        if shift_start >= finish:
            break
        group = groups[index % len(groups)]
        shifts.append(
            {
                "start": max(shift_start, begin),
                "end": min(shift_start + step, finish),
                "group": group,
                "index": int(index % len(groups)),
            }
        )
        index += 1
    return shifts


def final_shifts(layers: list[list[dict[str, Any]]]) -> list[dict[str, Any]]:
    """Overlay layer shifts: later layers win where they have a shift."""
    edges = sorted({t for shifts in layers for s in shifts for t in (s["start"], s["end"])})
    final: list[dict[str, Any]] = []
    for lo, hi in itertools.pairwise(edges):
        winner = None
        for shifts in layers:
            for shift in shifts:
                if shift["start"] <= lo and shift["end"] >= hi:
                    winner = shift
        if winner is None:
            continue
        if final and final[-1]["end"] == lo and final[-1]["group"] is winner["group"]:
            final[-1]["end"] = hi
        else:
            final.append({**winner, "start": lo, "end": hi})
    return final


def computed(schedule: dict[str, Any], start: int, end: int, now: int) -> dict[str, Any]:
    """``schedule`` with its layer shifts, final shifts and current/next on-call."""
    layers = schedule.get("layers") or []
    per_layer = [layer_shifts(layer, start, end) for layer in layers]
    calc = [
        {
            "layer_name": layer.get("layer_name") or layer.get("name", ""),
            "name": layer.get("name", ""),
            "mode": layer.get("mode", 0),
            "schedules": shifts,
        }
        for layer, shifts in zip(layers, per_layer, strict=True)
    ]
    final = final_shifts(per_layer)
    answer = {
        **schedule,
        "start": start,
        "end": end,
        "schedule_layers": calc,
        "layer_schedules": calc,
        "final_schedule": {"layer_name": "final", "name": "final", "mode": 0, "schedules": final},
    }
    around = final_shifts([layer_shifts(layer, now, now + 60 * 86400) for layer in layers])
    if around:
        answer["cur_oncall"] = {**around[0], "weight": 0, "update_at": schedule.get("update_at", 0)}
        if len(around) > 1:
            answer["next_oncall"] = {
                **around[1],
                "weight": 0,
                "update_at": schedule.get("update_at", 0),
            }
    return answer


def _window(ctx: RequestContext) -> tuple[int, int]:
    start = ctx.body.get("start") or ctx.now
    end = ctx.body.get("end") or start + DEFAULT_WINDOW
    if end <= start:
        raise invalid("end: must be after start")
    return start, end


@handles("/schedule/info")
def schedule_info(ctx: RequestContext) -> dict[str, Any]:
    schedule = ctx.state.store.collection(SCHEDULES).get(ctx.body["schedule_id"])
    return computed(schedule, *_window(ctx), ctx.now)


@handles("/schedule/preview")
def schedule_preview(ctx: RequestContext) -> dict[str, Any]:
    base: dict[str, Any] = {}
    if ctx.body.get("schedule_id"):
        base = dict(ctx.state.store.collection(SCHEDULES).get(ctx.body["schedule_id"]))
    base.update({k: v for k, v in ctx.body.items() if k not in ("start", "end")})
    return computed(base, *_window(ctx), ctx.now)


@handles("/schedule/list")
def schedule_list(ctx: RequestContext) -> dict[str, Any]:
    body = {
        k: v for k, v in ctx.body.items() if k not in ("start", "end", "is_my_team", "is_my_manage")
    }
    records = filter_records(ctx.state.store.collection(SCHEDULES).values(), body)
    page = page_request(body, limit_max=ctx.endpoint.page_limit_max, default_limit=10)
    chunk, meta = paginate(records, page)
    start, end = _window(ctx)
    return {"items": [computed(s, start, end, ctx.now) for s in chunk], "total": meta["total"]}


@handles("/schedule/self")
def schedule_self(ctx: RequestContext) -> dict[str, Any]:
    start, end = _window(ctx)
    mine = []
    for schedule in ctx.state.store.collection(SCHEDULES).values():
        answer = computed(schedule, start, end, ctx.now)
        shifts = [
            s
            for s in answer["final_schedule"]["schedules"]
            if any(ctx.person_id in m.get("person_ids", []) for m in s["group"].get("members", []))
        ]
        if shifts:
            mine.append(
                {**answer, "final_schedule": {**answer["final_schedule"], "schedules": shifts}}
            )
    return {"items": mine}


@handles("/schedule/infos")
def schedule_infos(ctx: RequestContext) -> dict[str, Any]:
    records = ctx.state.store.collection(SCHEDULES).records
    return {"items": [records[i] for i in ctx.body["schedule_ids"] if i in records]}


@handles("/schedule/create")
def schedule_create(ctx: RequestContext) -> dict[str, Any]:
    name = ctx.body.get("schedule_name") or ctx.body.get("name") or "schedule"
    record = ctx.state.store.new_record(
        SCHEDULES,
        {
            **ctx.body,
            "schedule_name": name,
            "name": name,
            "disabled": 0,
            "status": 0,
            "create_by": ctx.person_id,
            "update_by": ctx.person_id,
        },
    )
    record["id"] = record["schedule_id"]
    return record
