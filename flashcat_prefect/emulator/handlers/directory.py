"""Members, persons, teams, channels and channel rules: lookups beyond the generic store."""

from __future__ import annotations

from typing import Any

from flashcat_prefect.emulator.errors import invalid, not_found
from flashcat_prefect.emulator.handlers.base import RequestContext, generic, handles
from flashcat_prefect.emulator.ids import (
    ACCOUNT_ID,
    ACCOUNT_LOCALE,
    ACCOUNT_NAME,
    ACCOUNT_TIME_ZONE,
)
from flashcat_prefect.emulator.pagination import page_request, paginate
from flashcat_prefect.emulator.store import filter_records

MEMBERS, TEAMS, CHANNELS = "/member", "/team", "/channel"
RULE_PREFIXES = (
    "/channel/escalate/rule",
    "/channel/silence/rule",
    "/channel/inhibit/rule",
    "/channel/unsubscribe/rule",
    "/channel/subscribe/rule",
)


@handles("/channel/escalate/webhook/robot/list")
def robot_list(ctx: RequestContext) -> dict[str, Any]:
    """The IM robots escalation rules notify, under ``data.list`` as the API answers: each
    ``{type, settings, referenced_by}`` found in a rule layer's ``target.webhooks``."""
    robots: dict[tuple[str, str], dict[str, Any]] = {}
    for rule in ctx.state.store.collection("/channel/escalate/rule").values():
        for layer in rule.get("layers") or []:
            for hook in (layer.get("target") or {}).get("webhooks") or []:
                settings = hook.get("settings") or {}
                key = (str(hook.get("type", "")), str(settings.get("token", "")))
                robot = robots.setdefault(
                    key, {"type": key[0], "settings": settings, "referenced_by": []}
                )
                robot["referenced_by"].append(
                    {
                        "channel_id": rule.get("channel_id", 0),
                        "escalate_rule_id": rule.get("rule_id", ""),
                        "escalate_rule_name": rule.get("rule_name", ""),
                    }
                )
    return {"list": list(robots.values())}


@handles("/member/info")
def member_info(ctx: RequestContext) -> dict[str, Any]:
    member = ctx.state.store.collection(MEMBERS).get(ctx.person_id)
    return {
        **member,
        "account_id": ACCOUNT_ID,
        "account_name": ACCOUNT_NAME,
        "account_email": member["email"],
        "account_role_ids": member["account_role_ids"],
        "account_locale": ACCOUNT_LOCALE,
        "account_time_zone": ACCOUNT_TIME_ZONE,
        "domain": "demo",
        "account_avatar": "",
    }


def _list_by_membership(
    ctx: RequestContext, prefix: str, key: str, list_field: str
) -> dict[str, Any]:
    """A paged list whose ``key`` filter means "``key`` is in the record's ``list_field``"."""
    body = dict(ctx.body)
    wanted = body.pop(key, None)
    records = filter_records(
        [r for r in ctx.state.store.collection(prefix).values() if r.get("status") != "deleted"],
        body,
    )
    if wanted:
        records = [r for r in records if wanted in (r.get(list_field) or [])]
    items, meta = paginate(records, page_request(body, limit_max=ctx.endpoint.page_limit_max))
    return {"items": items, **meta}


@handles("/member/list")
def member_list(ctx: RequestContext) -> dict[str, Any]:
    return _list_by_membership(ctx, MEMBERS, "role_id", "account_role_ids")


@handles("/member/delete")
def member_delete(ctx: RequestContext) -> None:
    """Members are found by id, name, email, phone or ref_id; deleting one keeps it as a
    ``deleted`` person (old incidents still name it) and drops it from lists and teams."""
    keys = [k for k in ("member_id", "member_name", "email", "phone", "ref_id") if ctx.body.get(k)]
    if not keys:
        raise invalid(
            "member_id: one of member_id, member_name, email, phone or ref_id is required"
        )
    members = ctx.state.store.collection(MEMBERS)
    found = [
        m
        for m in members.values()
        if m.get("status") != "deleted" and all(m.get(k) == ctx.body[k] for k in keys)
    ]
    if not found:
        raise not_found(keys[0], ctx.body[keys[0]])
    for member in found:
        member.update(status="deleted", updated_at=ctx.now)
        for team in ctx.state.store.collection(TEAMS).values():
            if member["member_id"] in (team.get("person_ids") or []):
                team["person_ids"] = [p for p in team["person_ids"] if p != member["member_id"]]


@handles("/member/invite")
def member_invite(ctx: RequestContext) -> dict[str, Any]:
    store = ctx.state.store
    items = []
    for invite in ctx.body.get("members") or []:
        name = invite.get("member_name") or invite.get("email") or invite.get("phone") or "member"
        record = store.new_record(
            MEMBERS,
            {
                **invite,
                "member_name": name,
                "status": "enabled",
                "account_role_ids": invite.get("role_ids") or [2],
            },
        )
        items.append(
            {
                "member_id": record["member_id"],
                "member_name": name,
                "email": record.get("email", ""),
            }
        )
    return {"items": items}


@handles("/person/infos")
def person_infos(ctx: RequestContext) -> dict[str, Any]:
    members = ctx.state.store.collection(MEMBERS).records
    items = []
    for pid in ctx.body["person_ids"]:
        member = members.get(pid)
        if member is None:
            continue
        items.append(
            {
                "account_id": ACCOUNT_ID,
                "person_id": pid,
                "person_name": member["member_name"],
                "email": member.get("email", ""),
                "phone": member.get("phone", ""),
                "avatar": member.get("avatar", ""),
                "locale": member.get("locale", ""),
                "time_zone": member.get("time_zone", ""),
                "phone_verified": bool(member.get("phone_verified")),
                "email_verified": bool(member.get("email_verified")),
                "as": "member",
                "status": member.get("status", "enabled"),
            }
        )
    return {"items": items}


@handles("/team/info")
def team_info(ctx: RequestContext) -> dict[str, Any]:
    body = ctx.body
    teams = ctx.state.store.collection(TEAMS)
    for key in ("team_id", "team_name", "ref_id"):
        if body.get(key):
            found = [t for t in teams.values() if t.get(key) == body[key]]
            if not found:
                raise not_found(key, body[key])
            return found[0]
    raise invalid("team_id: one of team_id, team_name or ref_id is required")


@handles("/team/delete")
def team_delete(ctx: RequestContext) -> None:
    """A team is named by id, name or ref_id; its channels keep pointing at it."""
    team = team_info(ctx)
    del ctx.state.store.collection(TEAMS).records[team["team_id"]]


@handles("/team/list")
def team_list(ctx: RequestContext) -> dict[str, Any]:
    return _list_by_membership(ctx, TEAMS, "person_id", "person_ids")


@handles("/team/infos")
def team_infos(ctx: RequestContext) -> dict[str, Any]:
    teams = ctx.state.store.collection(TEAMS).records
    return {
        "items": [
            {
                "team_id": t["team_id"],
                "team_name": t["team_name"],
                "person_ids": t.get("person_ids", []),
            }
            for t in (teams.get(i) for i in ctx.body["team_ids"])
            if t
        ]
    }


@handles("/channel/infos")
def channel_infos(ctx: RequestContext) -> dict[str, Any]:
    channels = ctx.state.store.collection(CHANNELS).records
    return {
        "items": [
            {
                "channel_id": c["channel_id"],
                "channel_name": c["channel_name"],
                "status": c.get("status", "enabled"),
            }
            for c in (channels.get(i) for i in ctx.body["channel_ids"])
            if c
        ]
    }


def _rule_handler(ctx: RequestContext) -> Any:
    """Channel rules: the channel must exist and own the rule; then the generic verb."""
    channel_id = ctx.body.get("channel_id")
    verb = ctx.endpoint.path.rsplit("/", 1)[-1]
    if channel_id is not None:
        channels = ctx.state.store.collection(CHANNELS)
        channel = channels.get(channel_id) if verb in ("create", "list", "info") else {}
        rule_id = ctx.body.get("rule_id")
        if rule_id:
            prefix = ctx.endpoint.path.rpartition("/")[0]
            rule = ctx.state.store.collection(prefix).get(rule_id)
            if rule.get("channel_id") != channel_id:
                raise not_found("rule_id", rule_id)
        if verb == "create":
            ctx.body.setdefault("channel_name", channel["channel_name"])
            ctx.body.setdefault("updated_by", ctx.person_id)
            ctx.body.setdefault("time_filters", [])
            ctx.body.setdefault("filters", [])
    return generic(ctx)


handles(
    *(
        f"{prefix}/{verb}"
        for prefix in RULE_PREFIXES
        for verb in ("create", "update", "delete", "enable", "disable", "info", "list")
    )
)(_rule_handler)


@handles("/member/role/grant", "/member/role/revoke", "/member/role/update")
def member_roles(ctx: RequestContext) -> None:
    member = ctx.state.store.collection(MEMBERS).get(ctx.body["member_id"])
    roles = list(member.get("account_role_ids") or [])
    change = ctx.body["role_ids"]
    verb = ctx.endpoint.path.rsplit("/", 1)[-1]
    if verb == "grant":
        roles += [r for r in change if r not in roles]
    elif verb == "revoke":
        roles = [r for r in roles if r not in change]
    else:
        roles = list(change)
    member["account_role_ids"] = roles
    member["updated_at"] = ctx.now


@handles("/route/info", "/alert/pipeline/info", "/enrichment/info")
def integration_settings(ctx: RequestContext) -> dict[str, Any]:
    """Per-integration settings: the stored ones, else the defaults of a known integration."""
    integration_id = ctx.body["integration_id"]
    prefix = ctx.endpoint.path.rpartition("/")[0]
    stored = ctx.state.store.collection(prefix).records.get(integration_id)
    if stored is not None:
        return stored
    known = {i.integration_id for i in ctx.state.integrations.values()}
    if integration_id not in known:
        raise not_found("integration_id", integration_id)
    return ctx.state.store.new_record(prefix, {"integration_id": integration_id})


@handles("/member/info/reset")
def member_info_reset(ctx: RequestContext) -> None:
    """The caller's own profile (or the member ``member_id`` names) takes the given fields."""
    member = ctx.state.store.collection(MEMBERS).get(ctx.body.get("member_id") or ctx.person_id)
    member.update({k: v for k, v in ctx.body.items() if k != "member_id"}, updated_at=ctx.now)


@handles("/channel/star", "/channel/unstar")
def star_channel(ctx: RequestContext) -> None:
    """Star marks are the caller's; the emulator has one caller, so they live on the channel."""
    channel = ctx.state.store.collection(CHANNELS).get(ctx.body["channel_id"])
    channel["is_starred"] = ctx.endpoint.path.endswith("/star")


@handles("/channel/list")
def channel_list(ctx: RequestContext) -> dict[str, Any]:
    """The generic list, narrowed to starred channels by ``is_my_starred``."""
    if not ctx.body.get("is_my_starred"):
        return generic(ctx)
    body = {k: v for k, v in ctx.body.items() if k != "is_my_starred"}
    records = filter_records(
        [c for c in ctx.state.store.collection(CHANNELS).values() if c.get("is_starred")], body
    )
    items, meta = paginate(records, page_request(body, limit_max=ctx.endpoint.page_limit_max))
    return {"items": items, **meta}


@handles("/channel/reorder")
def reorder_channels(ctx: RequestContext) -> None:
    """Move the dragged channel to the target's place (lists keep this order)."""
    channels = ctx.state.store.collection(CHANNELS).records
    dragged = channels.get(ctx.body["drag_channel_id"])
    target = ctx.body["target_channel_id"]
    if dragged is None:
        raise not_found("drag_channel_id", ctx.body["drag_channel_id"])
    if target not in channels:
        raise not_found("target_channel_id", target)
    order = [key for key in channels if key != dragged["channel_id"]]
    order.insert(order.index(target), dragged["channel_id"])
    reordered = {key: channels[key] for key in order}
    channels.clear()
    channels.update(reordered)
