"""Generate the endpoint catalog, pydantic models, client namespaces, tasks and docs.

Reads the API facts in ``../shared/flashduty-api/endpoints.json`` (relative to the repository
root; override with ``--source``) and writes, deterministically:

- ``flashcat_prefect/api/_generated/<area>.py``: request/response models per area,
- ``flashcat_prefect/api/_generated/catalog_data.py``: ``CATALOG``,
- ``flashcat_prefect/client/_generated_resources.py``: one resource class per area (sync and
  async) and the ``SyncResources`` / ``AsyncResources`` mixins,
- ``flashcat_prefect/tasks/<area>.py`` and ``flashcat_prefect/tasks/__init__.py``,
- ``docs/api.md``.

Only facts travel from the source (paths, field names, types, limits, enums); every sentence
written into the output is ours. Run ``python tools/generate_api.py`` after the source changes
and commit the result.
"""

from __future__ import annotations

import argparse
import json
import keyword
import re
import shutil
import subprocess
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SOURCE = REPO_ROOT.parent / "shared" / "flashduty-api" / "endpoints.json"
PACKAGE = "flashcat_prefect"

# ---------------------------------------------------------------------------------------------
# Scope and naming tables
# ---------------------------------------------------------------------------------------------

IN_SCOPE_SECTIONS: frozenset[str] = frozenset(
    {
        "Member Management",
        "Team Management",
        "Schedule Management",
        "Information Retrieval",
        "Preference Settings",
        "Channel",
        "Channel / Escalation Rules",
        "Channel / Subscription Rules",
        "Channel / Drop Rules",
        "Channel / Silence Rules",
        "Channel / Inhibit Rules",
        "Channel / Notification Rules",
        "Template Management",
        "Incident Management",
        "Incident Management / Group View",
        "Incident Management / Post-mortem",
        "Incident Management / War Room",
        "Incident Management / Work Items",
        "Incident Management / Comment Types",
        "Alert Management",
        "Alert Management / Group View",
        "Change Management",
        "Insights",
        "Insights (old)",
        "Insights (2024 variant, superseded)",
        "Custom Fields",
        "Service Calendar",
        "Label Enhancement",
        "Label Enhancement / Mapping",
        "Alert Processing",
        "Integration Routing",
        "License Management",
        "Event API",
        "Webhook (outbound)",
    }
)

# Path prefix -> area (client namespace). Longest prefix wins; the remainder of the path
# becomes the method name.
AREA_PREFIXES: dict[str, str] = {
    "/incident/war-room": "war_rooms",
    "/incident/post-mortem": "post_mortems",
    "/ai/post-mortem": "post_mortems",
    "/incident/work-item": "work_items",
    "/incident/comment-type": "comment_types",
    "/incident/card-view": "incident_views",
    "/incident": "incidents",
    "/alert/card-view": "alert_views",
    "/alert/pipeline": "alert_pipelines",
    "/alert-event": "alert_events",
    "/alert": "alerts",
    "/channel/escalate/rule": "escalation_rules",
    "/channel/silence/rule": "silence_rules",
    "/channel/inhibit/rule": "inhibit_rules",
    "/channel/unsubscribe/rule": "drop_rules",
    "/channel/subscribe/rule": "subscription_rules",
    "/channel/notify/rule": "notification_rules",
    "/channel": "channels",
    "/route": "routes",
    "/schedule": "schedules",
    "/oncall/roles": "schedules",
    "/calendar": "calendars",
    "/template": "templates",
    "/enrichment/mapping": "mappings",
    "/enrichment": "enrichment",
    "/insight/incident/metrics": "insight_metrics",
    "/insight/alert/metrics": "insight_metrics",
    "/insight": "insights",
    "/report/oncall": "reports",
    "/member": "members",
    "/person": "persons",
    "/team": "teams",
    "/field": "fields",
    "/change": "changes",
    "/oncall/license": "licenses",
    "/resource/transfer": "licenses",
    "/preference": "preferences",
    "/event/push": "events",
}

# Singular noun per area, used to build package-wide task names (verb_noun).
AREA_NOUNS: dict[str, tuple[str, str]] = {
    # area: (singular, plural)
    "incidents": ("incident", "incidents"),
    "war_rooms": ("war_room", "war_rooms"),
    "post_mortems": ("post_mortem", "post_mortems"),
    "work_items": ("work_item", "work_items"),
    "comment_types": ("comment_type", "comment_types"),
    "incident_views": ("incident_view", "incident_views"),
    "alerts": ("alert", "alerts"),
    "alert_views": ("alert_view", "alert_views"),
    "alert_pipelines": ("alert_pipeline", "alert_pipelines"),
    "alert_events": ("alert_event", "alert_events"),
    "escalation_rules": ("escalation_rule", "escalation_rules"),
    "silence_rules": ("silence_rule", "silence_rules"),
    "inhibit_rules": ("inhibit_rule", "inhibit_rules"),
    "drop_rules": ("drop_rule", "drop_rules"),
    "subscription_rules": ("subscription_rule", "subscription_rules"),
    "notification_rules": ("notification_rule", "notification_rules"),
    "channels": ("channel", "channels"),
    "routes": ("route", "routes"),
    "schedules": ("schedule", "schedules"),
    "calendars": ("calendar", "calendars"),
    "templates": ("template", "templates"),
    "mappings": ("mapping", "mappings"),
    "enrichment": ("enrichment_rule", "enrichment_rules"),
    "insight_metrics": ("insight_metric", "insight_metrics"),
    "insights": ("insight", "insights"),
    "reports": ("report", "reports"),
    "members": ("member", "members"),
    "persons": ("person", "persons"),
    "teams": ("team", "teams"),
    "fields": ("field", "fields"),
    "changes": ("change", "changes"),
    "licenses": ("license", "licenses"),
    "preferences": ("preference", "preferences"),
    "events": ("event", "events"),
    "webhooks": ("webhook", "webhooks"),
}

# Verbs whose object is naturally plural: `list` -> list_incidents, batch actions on ids.
PLURAL_VERBS = frozenset(
    {"list", "infos", "ack", "unack", "resolve", "reopen", "snooze", "wake", "remove", "reorder"}
)

# Where the rules read badly: path -> (method name, task name). Task name may be None to keep
# the rule's answer.
NAME_OVERRIDES: dict[str, tuple[str, str | None]] = {
    "/incident/info": ("info", "get_incident"),
    "/incident/list-by-ids": ("list_by_ids", "list_incidents_by_ids"),
    "/incident/alert/list": ("list_alerts", "list_incident_alerts"),
    "/incident/feed": ("feed", "list_incident_feed"),
    "/incident/past/list": ("list_past", "list_past_incidents"),
    "/incident/merge": ("merge", "merge_incidents"),
    "/incident/disable-merge": ("disable_merge", "disable_incident_merge"),
    "/incident/reset": ("reset", "reset_incident"),
    "/incident/comment": ("comment", "comment_incident"),
    "/incident/assign": ("assign", "assign_incident"),
    "/incident/responder/add": ("add_responder", "add_incident_responder"),
    "/incident/field/reset": ("reset_field", "reset_incident_field"),
    "/incident/custom-action/do": ("do_custom_action", "do_incident_custom_action"),
    "/incident/sdp/request/list": ("list_sdp_requests", "list_incident_sdp_requests"),
    "/incident/list-by-card": ("list_by_card", "list_incidents_by_card"),
    "/incident/external-create": ("external_create", "create_external_incident"),
    "/incident/title/reset": ("reset_title", "reset_incident_title"),
    "/incident/description/reset": ("reset_description", "reset_incident_description"),
    "/incident/impact/reset": ("reset_impact", "reset_incident_impact"),
    "/incident/root-cause/reset": ("reset_root_cause", "reset_incident_root_cause"),
    "/incident/resolution/reset": ("reset_resolution", "reset_incident_resolution"),
    "/incident/severity/reset": ("reset_severity", "reset_incident_severity"),
    "/incident/war-room/detail": ("detail", "get_war_room"),
    "/incident/war-room/default-observers": (
        "default_observers",
        "get_war_room_default_observers",
    ),
    "/incident/war-room/add-member": ("add_member", "add_war_room_member"),
    "/incident/post-mortem/info": ("info", "get_post_mortem"),
    "/incident/post-mortem/content/reset": ("reset_content", "reset_post_mortem_content"),
    "/incident/post-mortem/template/list": ("list_templates", "list_post_mortem_templates"),
    "/incident/post-mortem/template/info": ("template_info", "get_post_mortem_template"),
    "/incident/post-mortem/template/delete": ("delete_template", "delete_post_mortem_template"),
    "/incident/post-mortem/template/upsert": ("upsert_template", "upsert_post_mortem_template"),
    "/incident/post-mortem/init": ("init", "init_post_mortem"),
    "/incident/post-mortem/basics/reset": ("reset_basics", "reset_post_mortem_basics"),
    "/incident/post-mortem/follow-ups/reset": ("reset_follow_ups", "reset_post_mortem_follow_ups"),
    "/incident/post-mortem/status/reset": ("reset_status", "reset_post_mortem_status"),
    "/incident/post-mortem/title/reset": ("reset_title", "reset_post_mortem_title"),
    "/incident/post-mortem/media/upload": ("upload_media", "upload_post_mortem_media"),
    "/ai/post-mortem/generate": ("ai_generate", "generate_post_mortem"),
    "/incident/work-item/post-mortem/bind": ("bind_post_mortem", "bind_work_items_post_mortem"),
    "/incident/work-item/assignees/reset": ("reset_assignees", "reset_work_item_assignees"),
    "/incident/comment-type/reorder": ("reorder", "reorder_comment_types"),
    "/alert/info": ("info", "get_alert"),
    "/alert/list-by-ids": ("list_by_ids", "list_alerts_by_ids"),
    "/alert/event/list": ("list_events", "list_alert_events_of_alert"),
    "/alert/feed": ("feed", "list_alert_feed"),
    "/alert/merge": ("merge", "merge_alerts"),
    "/alert/close": ("close", "close_alerts"),
    "/alert/list-by-card": ("list_by_card", "list_alerts_by_card"),
    "/alert-event/list": ("list", "list_alert_events"),
    "/channel/infos": ("infos", "get_channels"),
    "/channel/star": ("star", "star_channel"),
    "/channel/unstar": ("unstar", "unstar_channel"),
    "/channel/escalate/webhook/robot/list": ("list_robots", "list_channel_robots"),
    "/channel/list-by-integration": ("list_by_integration", "list_channels_by_integration"),
    "/route/history/list": ("list_history", "list_route_history"),
    "/route/preview": ("preview", "preview_route"),
    "/schedule/self": ("self", "list_my_schedules"),
    "/schedule/infos": ("infos", "get_schedules"),
    "/schedule/delete": ("delete", "delete_schedules"),
    "/oncall/roles": ("roles", "list_schedule_roles"),
    "/calendar/event/upsert": ("upsert_event", "upsert_calendar_event"),
    "/calendar/event/delete": ("delete_event", "delete_calendar_event"),
    "/calendar/event/list": ("list_events", "list_calendar_events"),
    "/enrichment/info": ("info", "get_enrichment_rules"),
    "/enrichment/upsert": ("upsert", "upsert_enrichment_rules"),
    "/enrichment/mapping/schema/list": ("list_schemas", "list_mapping_schemas"),
    "/enrichment/mapping/schema/info": ("schema_info", "get_mapping_schema"),
    "/enrichment/mapping/schema/create": ("create_schema", "create_mapping_schema"),
    "/enrichment/mapping/schema/update": ("update_schema", "update_mapping_schema"),
    "/enrichment/mapping/schema/delete": ("delete_schema", "delete_mapping_schema"),
    "/enrichment/mapping/data/list": ("list_data", "list_mapping_data"),
    "/enrichment/mapping/data/upsert": ("upsert_data", "upsert_mapping_data"),
    "/enrichment/mapping/data/delete": ("delete_data", "delete_mapping_data"),
    "/enrichment/mapping/data/truncate": ("truncate_data", "truncate_mapping_data"),
    "/enrichment/mapping/data/upload": ("upload_data", "upload_mapping_data"),
    "/enrichment/mapping/data/download": ("download_data", "download_mapping_data"),
    "/enrichment/mapping/api/list": ("list_apis", "list_mapping_apis"),
    "/enrichment/mapping/api/info": ("api_info", "get_mapping_api"),
    "/enrichment/mapping/api/create": ("create_api", "create_mapping_api"),
    "/enrichment/mapping/api/update": ("update_api", "update_mapping_api"),
    "/enrichment/mapping/api/delete": ("delete_api", "delete_mapping_api"),
    "/insight/alert/topk-by-label": ("topk_alerts_by_label", "get_top_alerts_by_label"),
    "/insight/account": ("account", "get_account_insight"),
    "/insight/incident/list": ("list_incidents", "list_insight_incidents"),
    "/insight/incident/export": ("export_incidents", "export_insight_incidents"),
    "/insight/channel": ("channel", "get_channel_insight"),
    "/insight/channel/export": ("export_channel", "export_channel_insight"),
    "/insight/team": ("team", "get_team_insight"),
    "/insight/team/export": ("export_team", "export_team_insight"),
    "/insight/responder": ("responder", "get_responder_insight"),
    "/insight/responder/export": ("export_responder", "export_responder_insight"),
    "/insight/incident/metrics/team": ("team", "get_team_incident_metrics"),
    "/insight/incident/metrics/account": ("account", "get_account_incident_metrics"),
    "/insight/incident/metrics/raw": ("raw", "list_raw_incident_metrics"),
    "/insight/incident/metrics/channel": ("channel", "get_channel_incident_metrics"),
    "/insight/incident/metrics/responder": ("responder", "get_responder_incident_metrics"),
    "/insight/alert/metrics/label/top": ("top_alert_labels", "get_top_alert_labels"),
    "/report/oncall/person": ("person", "get_person_report"),
    "/report/oncall/notifications": ("notifications", "get_notification_report"),
    "/report/oncall/changes": ("changes", "get_change_report"),
    "/report/oncall/alert/check/top": ("top_alert_checks", "get_top_alert_checks_report"),
    "/report/oncall/trend": ("trend", "get_trend_report"),
    "/report/oncall/incident/mtta": ("incident_mtta", "get_incident_mtta_report"),
    "/report/oncall/incident/mttr": ("incident_mttr", "get_incident_mttr_report"),
    "/report/oncall/alert/resource/top": (
        "top_alert_resources",
        "get_top_alert_resources_report",
    ),
    "/report/oncall/incidents": ("incidents", "get_incident_count_report"),
    "/member/info": ("info", "get_member_info"),
    "/member/invite": ("invite", "invite_members"),
    "/member/role/grant": ("grant_role", "grant_member_role"),
    "/member/role/revoke": ("revoke_role", "revoke_member_role"),
    "/member/role/update": ("update_roles", "update_member_roles"),
    "/member/info/reset": ("reset_info", "reset_member_info"),
    "/person/infos": ("infos", "get_persons"),
    "/team/infos": ("infos", "get_teams"),
    "/oncall/license/list": ("list", "list_licenses"),
    "/resource/transfer/license": ("transfer", "transfer_license"),
    "/preference/info": ("info", "get_preferences"),
    "/preference/update": ("update", "update_preferences"),
    "/event/push/alert/standard": ("push_alert", "push_alert_event"),
    "/event/push/change/standard": ("push_change", "push_change_event"),
    "/template/preview": ("preview", "preview_template"),
    "/schedule/preview": ("preview", "preview_schedule"),
}

# Outbound payload shapes: (area, name, request model, response model).
OUTBOUND_NAMES: dict[str, tuple[str, str, str]] = {
    "<customer endpoint> (incident webhook)": (
        "incident_webhook",
        "IncidentWebhookPayload",
        "IncidentWebhookReply",
    ),
    "<customer endpoint> (alert webhook)": (
        "alert_webhook",
        "AlertWebhookPayload",
        "AlertWebhookReply",
    ),
    "<customer endpoint> (custom action)": (
        "custom_action",
        "CustomActionPayload",
        "CustomActionReply",
    ),
    "<customer mapping API url>": (
        "label_mapping",
        "LabelMappingRequest",
        "LabelMappingResponse",
    ),
}

# Request fields that never go in a body model: the Event API key comes from the block.
SECRET_QUERY_FIELDS = frozenset({"integration_key"})

# Verbs that change state; reads are list/info/preview/export/... and anything else named here.
READ_VERBS = frozenset(
    {
        "list",
        "info",
        "infos",
        "detail",
        "feed",
        "preview",
        "export",
        "download",
        "self",
        "roles",
        "default",
        "account",
        "channel",
        "team",
        "responder",
        "raw",
        "top",
        "topk",
        "person",
        "notifications",
        "changes",
        "trend",
        "incident",
        "incidents",
        "schema",
        "api",
        "template",
    }
)

# Facts the source states in prose rather than in tags, restated as tags so the generic
# builder enforces them: path -> field -> replacement field spec.
FIELD_OVERRIDES: dict[str, dict[str, dict[str, Any]]] = {
    "/event/push/alert/standard": {
        "alert_key": {"type": "string", "required": False, "notes": "len ..255"},
        "labels": {"type": "map<string,string>", "required": False, "notes": "max 50 entries"},
        "images": {
            "type": "array<object(AlertImage)>",
            "required": False,
            "item_fields": {
                "src": {"type": "string", "required": True, "notes": "len 1..256"},
                "alt": {"type": "string", "required": False, "notes": "len ..128"},
                "href": {"type": "string", "required": False, "notes": "len ..256"},
            },
        },
    },
    # README "Time, units, formats": severities are Critical|Warning|Info.
    "/incident/severity/reset": {
        "incident_severity": {
            "type": "string",
            "required": True,
            "notes": "one of: Critical|Warning|Info",
        },
    },
    "/event/push/change/standard": {
        "description": {"type": "string", "required": False, "notes": "len ..2048"},
        "labels": {"type": "map<string,string>", "required": False, "notes": "max 50 entries"},
    },
}

# Request fields that always carry 24-hex ObjectIDs (README "Identifier types"), checked
# even where an entry's notes do not say so.
OBJECT_ID_FIELDS = re.compile(r"^(\w+_)?(incident|alert)_ids?$")

HEX24 = r"^[0-9a-fA-F]{24}$"
HEX32 = r"^[0-9a-fA-F]{32}$"
DATE_PATTERN = r"^\d{4}-\d{2}-\d{2}$"
CLOCK_PATTERN = r"^([01]\d|2[0-3]):[0-5]\d$"
EMAIL_PATTERN = r"^[^@\s]+@[^@\s]+$"

BASEMODEL_ATTRS = frozenset(
    {
        "json",
        "schema",
        "fields",
        "copy",
        "dict",
        "construct",
        "validate",
        "parse_obj",
        "parse_raw",
        "parse_file",
        "from_orm",
        "update_forward_refs",
        "schema_json",
        # names used inside generated annotations must not be shadowed by a field
        "list",
        "str",
        "int",
        "float",
        "bool",
        "Any",
        "Literal",
        "Annotated",
        "Field",
    }
)


# ---------------------------------------------------------------------------------------------
# Reading the source
# ---------------------------------------------------------------------------------------------


@dataclass
class Spec:
    """One in-scope entry of endpoints.json with the names we give it."""

    raw: dict[str, Any]
    area: str
    name: str
    task: str
    request_class: str
    response_class: str
    item_class: str | None = None
    legacy: bool = False
    writes: bool = False
    outbound: bool = False
    response_empty: bool = False

    @property
    def path(self) -> str:
        return self.raw["path"]

    @property
    def method(self) -> str:
        return self.raw["method"]


def load_source(source: Path) -> list[dict[str, Any]]:
    entries = json.loads(source.read_text(encoding="utf-8"))
    return [e for e in entries if e["section"] in IN_SCOPE_SECTIONS]


def camel(text: str) -> str:
    parts = re.split(r"[^0-9A-Za-z]+", text)
    return "".join(p[:1].upper() + p[1:] for p in parts if p)


def area_of(path: str) -> tuple[str, list[str]]:
    for prefix in sorted(AREA_PREFIXES, key=len, reverse=True):
        if path == prefix or path.startswith(prefix + "/"):
            rest = [s.replace("-", "_") for s in path[len(prefix) :].strip("/").split("/") if s]
            return AREA_PREFIXES[prefix], rest
    raise SystemExit(f"no area rule for path {path!r}; add one to AREA_PREFIXES")


def method_and_task(path: str, area: str, rest: list[str]) -> tuple[str, str]:
    singular, plural = AREA_NOUNS[area]
    override = NAME_OVERRIDES.get(path)
    if not rest and override is None:
        raise SystemExit(f"cannot name {path!r}; add it to NAME_OVERRIDES")
    if len(rest) == 1:
        method = rest[0]
    elif rest:
        verb, noun = rest[-1], "_".join(rest[:-1])
        method = f"{verb}_{noun}s" if verb == "list" else f"{verb}_{noun}"
    verb = method.split("_")[0] if rest else ""
    if verb == "info":
        task = f"get_{singular}"
    elif verb in PLURAL_VERBS:
        task = f"{verb}_{plural}"
    else:
        task = f"{verb}_{singular}" if rest else ""
    if override is not None:
        method = override[0]
        task = override[1] or task
    return method, task


def is_write(path: str, method_name: str) -> bool:
    verb = method_name.split("_")[0]
    if path.startswith("/event/push"):
        return True
    return verb not in READ_VERBS


def build_specs(entries: list[dict[str, Any]]) -> list[Spec]:
    specs: list[Spec] = []
    for raw in entries:
        legacy = raw["availability"].startswith("legacy")
        if raw.get("direction", "").startswith("outbound"):
            name, req, resp = OUTBOUND_NAMES[raw["path"]]
            specs.append(Spec(raw, "webhooks", name, "", req, resp, legacy=legacy, outbound=True))
            continue
        area, rest = area_of(raw["path"])
        name, task = method_and_task(raw["path"], area, rest)
        base = camel(raw["path"])
        specs.append(
            Spec(
                raw,
                area,
                name,
                task,
                f"{base}Request",
                f"{base}Response",
                legacy=legacy,
                writes=is_write(raw["path"], name),
            )
        )
    check_unique(specs)
    return specs


def check_unique(specs: list[Spec]) -> None:
    seen_tasks: dict[str, str] = {}
    seen_methods: dict[tuple[str, str], str] = {}
    for spec in specs:
        if spec.outbound:
            continue
        if spec.task in seen_tasks:
            raise SystemExit(f"task {spec.task} for {spec.path} and {seen_tasks[spec.task]}")
        seen_tasks[spec.task] = spec.path
        key = (spec.area, spec.name)
        if key in seen_methods:
            raise SystemExit(f"method {key} for {spec.path} and {seen_methods[key]}")
        seen_methods[key] = spec.path
        if not spec.name.isidentifier() or keyword.iskeyword(spec.name):
            raise SystemExit(f"bad method name {spec.name!r} for {spec.path}")


# ---------------------------------------------------------------------------------------------
# Notes -> constraints
# ---------------------------------------------------------------------------------------------


@dataclass
class Rules:
    """Validation facts parsed from one field's ``notes``."""

    enum: list[str] | None = None
    comma_separated: bool = False
    ge: str | None = None
    le: str | None = None
    min_length: int | None = None
    max_length: int | None = None
    min_items: int | None = None
    max_items: int | None = None
    pattern: str | None = None
    nullable: bool = False
    optional_anyway: bool = False
    span_days: int | None = None


def _int(text: str) -> int:
    return int(text.replace(",", ""))


def parse_notes(notes: str | None, type_text: str) -> Rules:
    rules = Rules()
    if not notes:
        return rules
    for raw_part in notes.split(";"):
        part = raw_part.strip()
        if m := re.match(r"one of: ([^ ]+)", part):
            values = [v for v in m.group(1).split("|") if v]
            rules.enum = values
        elif m := re.fullmatch(r"range \[(-?[\d.]*),(-?[\d.]*)\]", part):
            rules.ge = m.group(1) or None
            rules.le = m.group(2) or None
        elif m := re.fullmatch(r"len (\d*)\.\.(\d+)", part):
            rules.min_length = int(m.group(1)) if m.group(1) else None
            rules.max_length = int(m.group(2))
        elif m := re.fullmatch(r"max ([\d,]+) (?:characters|chars)", part):
            rules.max_length = _int(m.group(1))
        elif m := re.fullmatch(r"items (\d*)\.\.(\d+)", part):
            rules.min_items = int(m.group(1)) if m.group(1) else None
            rules.max_items = int(m.group(2))
        elif m := re.fullmatch(r"max (\d+) entries", part):
            rules.max_items = int(m.group(1))
        elif m := re.fullmatch(r"pattern (\S+)", part):
            rules.pattern = m.group(1)
        elif part.startswith("24-hex ObjectID"):
            rules.pattern = HEX24
        elif part.startswith("32-hex"):
            rules.pattern = HEX32
        elif part == "date string YYYY-MM-DD":
            rules.pattern = DATE_PATTERN
        elif part == "clock time HH:MM" and "string" in type_text:
            rules.pattern = CLOCK_PATTERN
        elif part == "format email":
            rules.pattern = EMAIL_PATTERN
        elif part == "comma-separated string":
            rules.comma_separated = True
        elif part == "nullable":
            rules.nullable = True
        elif part in ("conditionally required", "only in some oneOf variants"):
            rules.optional_anyway = True
        elif m := re.fullmatch(r"time span limit (\d+) days", part):
            rules.span_days = int(m.group(1))
    if rules.enum and rules.comma_separated:
        alternatives = "|".join(re.escape(v) for v in rules.enum)
        rules.pattern = rf"^({alternatives})(,({alternatives}))*$"
        rules.enum = None
    return rules


# ---------------------------------------------------------------------------------------------
# Model source writer
# ---------------------------------------------------------------------------------------------


def python_field_name(key: str) -> str:
    name = re.sub(r"\W", "_", key).strip("_") or "value"
    if name[0].isdigit():
        name = f"f_{name}"
    if keyword.iskeyword(name) or name in BASEMODEL_ATTRS or name.startswith("model_"):
        name = f"{name}_"
    return name


@dataclass
class ModuleWriter:
    """Collects model classes for one area module, sharing identical nested shapes."""

    classes: dict[str, str] = field(default_factory=dict)  # name -> source
    order: list[str] = field(default_factory=list)
    constants: list[str] = field(default_factory=list)  # module-level lines after classes

    def add(self, name: str, source: str, prefix: str = "") -> str:
        """Add a class and return its final name.

        An identical class already added under the same name (or its prefixed form) is
        reused; a different class with the same name is renamed ``prefix + name`` (then
        numbered, as a last resort).
        """
        candidates = [name, f"{prefix}{name}"] if prefix else [name]
        for candidate in candidates:
            body = self.classes.get(candidate)
            if body is not None and _strip_name(body, candidate) == _strip_name(source, name):
                return candidate
        final = next((c for c in candidates if c not in self.classes), None)
        counter = 2
        while final is None:
            numbered = f"{candidates[-1]}{counter}"
            final = numbered if numbered not in self.classes else None
            counter += 1
        if final != name:
            source = source.replace(f"class {name}(", f"class {final}(", 1)
        self.classes[final] = source
        self.order.append(final)
        return final

    def render(self, docstring: str) -> str:
        text = "\n".join(self.classes[name] for name in self.order)
        head = [f'"""{docstring}"""', "", "from __future__ import annotations", ""]
        typing_names = [
            n
            for n in ("Annotated", "Any", "Literal")
            if f"{n}[" in text or f"{n}]" in text or f" {n}" in text
        ]
        if typing_names:
            head.append("from typing import " + ", ".join(typing_names))
            head.append("")
        pydantic_names = ["BaseModel", "ConfigDict"]
        pydantic_names += [n for n in ("Field", "RootModel") if f"{n}(" in text or f"{n}[" in text]
        head.append("from pydantic import " + ", ".join(sorted(pydantic_names)))
        head.append("")
        head.append(
            "_REQUEST = ConfigDict(extra='forbid', populate_by_name=True, defer_build=True)"
        )
        head.append(
            "_RESPONSE = ConfigDict(extra='allow', populate_by_name=True, defer_build=True)"
        )
        body = []
        for name in self.order:
            body.append("")
            body.append("")
            body.append(self.classes[name].rstrip())
        tail = ["", "", *self.constants] if self.constants else []
        return "\n".join(head + body + tail).rstrip() + "\n"


def _strip_name(source: str, name: str) -> str:
    return source.replace(f"class {name}(", "class _(", 1)


class ModelBuilder:
    """Turns a request/response field map into pydantic class source."""

    def __init__(
        self, writer: ModuleWriter, *, request: bool, stem: str, part_doc: str | None = None
    ) -> None:
        self.writer = writer
        self.request = request
        self.part_doc = part_doc or ("Part of a request body." if request else "Part of an answer.")
        self.stem = stem  # e.g. "IncidentList": prefix for nested names that clash

    # Types ----------------------------------------------------------------------------------

    def annotation(self, spec: dict[str, Any], owner: str, key: str, rules: Rules) -> str:
        """Python type annotation for one field (constraints applied in requests only)."""
        type_text = (spec.get("type") or "any").strip()
        return self._type(type_text, spec, owner, key, rules, top=True)

    def _type(
        self,
        type_text: str,
        spec: dict[str, Any],
        owner: str,
        key: str,
        rules: Rules,
        *,
        top: bool,
    ) -> str:
        check = self.request
        if type_text.startswith("array<") and type_text.endswith(">"):
            inner_text = type_text[len("array<") : -1]
            inner_spec = {"item_fields": spec.get("item_fields")} if top else spec
            inner = self._type(inner_text, inner_spec, owner, key, rules, top=False)
            list_type = f"list[{inner}]"
            if check and top and (rules.min_items is not None or rules.max_items is not None):
                args = []
                if rules.min_items is not None:
                    args.append(f"min_length={rules.min_items}")
                if rules.max_items is not None:
                    args.append(f"max_length={rules.max_items}")
                list_type = f"Annotated[{list_type}, Field({', '.join(args)})]"
            return list_type
        if type_text.startswith("map<"):
            inner_text = type_text[len("map<") : -1]
            value_text = inner_text.split(",", 1)[1] if "," in inner_text else "any"
            value = self._scalar(value_text, rules, apply=False)
            map_type = f"dict[str, {value}]"
            if check and top and rules.max_items is not None:
                map_type = f"Annotated[{map_type}, Field(max_length={rules.max_items})]"
            return map_type
        if type_text.startswith("object") or type_text.startswith("oneOf<object"):
            nested = spec.get("fields") or spec.get("item_fields")
            if not nested:
                return "dict[str, Any]"
            keys = list(nested)
            if len(keys) == 1 and keys[0].startswith("$"):
                value_spec = nested[keys[0]]
                value = self._type(
                    value_spec.get("type", "any"), value_spec, owner, key, Rules(), top=False
                )
                return f"dict[str, {value}]"
            m = re.match(r"object\((\w+)\)", type_text)
            class_name = m.group(1) if m else owner + camel(key)
            return self.build_class(class_name, nested, nested_from=owner)
        return self._scalar(type_text, rules, apply=check)

    def _scalar(self, type_text: str, rules: Rules, *, apply: bool) -> str:
        type_text = type_text.strip()
        if type_text.startswith("oneOf<"):
            variants = {v.strip() for v in type_text[len("oneOf<") : -1].split(",")}
            type_text = variants.pop() if len(variants) == 1 else "any"
        base = {
            "string": "str",
            "integer": "int",
            "integer(int64)": "int",
            "integer(int32)": "int",
            "number": "float",
            "boolean": "bool",
            "bool": "bool",
        }.get(type_text)
        if base is None:
            return "Any"
        if not apply:
            return base
        if rules.enum:
            if base == "int":
                try:
                    values = ", ".join(str(int(v)) for v in rules.enum)
                except ValueError:
                    values = ", ".join(repr(v) for v in rules.enum)
            else:
                values = ", ".join(repr(re.sub(r"\s*\(.*$", "", v)) for v in rules.enum)
            return f"Literal[{values}]"
        args: list[str] = []
        if base in ("int", "float"):
            if rules.ge is not None:
                args.append(f"ge={rules.ge}")
            if rules.le is not None:
                args.append(f"le={rules.le}")
        if base == "str":
            if rules.min_length is not None:
                args.append(f"min_length={rules.min_length}")
            if rules.max_length is not None:
                args.append(f"max_length={rules.max_length}")
            if rules.pattern is not None:
                args.append(f"pattern={rules.pattern!r}")
        if not args:
            return base
        return f"Annotated[{base}, Field({', '.join(args)})]"

    # Classes --------------------------------------------------------------------------------

    def build_class(
        self,
        class_name: str,
        fields_map: dict[str, Any],
        *,
        nested_from: str | None = None,
        docstring: str | None = None,
    ) -> str:
        lines: list[str] = []
        config = "_REQUEST" if self.request else "_RESPONSE"
        lines.append(f"class {class_name}(BaseModel):")
        if docstring is None:
            docstring = self.part_doc
        lines.append(f'    """{docstring}"""')
        lines.append("")
        lines.append(f"    model_config = {config}")
        used: set[str] = set()
        for key, spec in fields_map.items():
            if not isinstance(spec, dict):
                continue
            rules = parse_notes(spec.get("notes"), spec.get("type") or "")
            annotation = self.annotation(spec, class_name, key, rules)
            name = python_field_name(key)
            while name in used:
                name += "_"
            used.add(name)
            required = self.request and bool(spec.get("required")) and not rules.optional_anyway
            if rules.nullable and required:
                annotation = f"{annotation} | None"
            alias = f", alias={key!r}" if name != key else ""
            if required:
                default = f" = Field(...{alias})" if alias else ""
            else:
                default = f" = Field(None{alias})" if alias else " = None"
                annotation = f"{annotation} | None"
            lines.append(f"    {name}: {annotation}{default}")
        if not used:
            lines.append("    pass")
            lines.pop()
        prefix = "" if nested_from is None else self.stem
        return self.writer.add(class_name, "\n".join(lines) + "\n", prefix)


def build_root_list(writer: ModuleWriter, class_name: str, item_type: str, doc: str) -> str:
    source = (
        f"class {class_name}(RootModel[list[{item_type}]]):\n"
        f'    """{doc}"""\n\n'
        f"    model_config = ConfigDict(defer_build=True)\n"
    )
    return writer.add(class_name, source)


# ---------------------------------------------------------------------------------------------
# Catalog facts per entry
# ---------------------------------------------------------------------------------------------


def rate_limit_expr(raw: dict[str, Any]) -> str:
    text = raw.get("rate_limit") or ""
    if raw["path"].startswith("/event/push"):
        return "EVENT_RATE_LIMIT"
    m_min = re.search(r"(\d+)/min", text)
    m_sec = re.search(r"(\d+)/s", text)
    if not (m_min and m_sec):
        return "DEFAULT_RATE_LIMIT"
    per_minute, per_second = int(m_min.group(1)), int(m_sec.group(1))
    if (per_second, per_minute) == (50, 1000):
        return "DEFAULT_RATE_LIMIT"
    if (per_second, per_minute) == (1, 10):
        return "EXPORT_RATE_LIMIT"
    return f"RateLimit(per_second={per_second}, per_minute={per_minute})"


def response_format(raw: dict[str, Any], outbound: bool) -> str:
    if outbound:
        return "outbound"
    fmt = raw.get("response_format") or ""
    if "CSV" in fmt or (isinstance(raw["response_data"], str) and "CSV" in raw["response_data"]):
        return "csv"
    return "json"


def auth_of(raw: dict[str, Any], outbound: bool) -> str:
    if outbound:
        return "none"
    if raw["auth"].startswith("integration_key"):
        return "integration_key"
    return "app_key"


def page_limit_max(raw: dict[str, Any]) -> int:
    limit = raw["request"].get("limit") if isinstance(raw["request"], dict) else None
    if isinstance(limit, dict):
        rules = parse_notes(limit.get("notes"), limit.get("type") or "")
        if rules.le:
            return int(rules.le)
    return 100


def max_span_seconds(raw: dict[str, Any]) -> int | None:
    for spec in raw["request"].values():
        if not isinstance(spec, dict):
            continue
        notes = spec.get("notes") or ""
        if "integer" not in (spec.get("type") or ""):
            continue
        rules = parse_notes(notes, spec.get("type") or "")
        if rules.span_days and "minutes" not in notes:
            return rules.span_days * 86400
    return None


def query_params(raw: dict[str, Any]) -> tuple[str, ...]:
    return tuple(
        k
        for k, v in raw["request"].items()
        if isinstance(v, dict) and v.get("in") == "query" and k not in SECRET_QUERY_FIELDS
    )


# ---------------------------------------------------------------------------------------------
# Generation
# ---------------------------------------------------------------------------------------------


def effective_request(raw: dict[str, Any]) -> dict[str, Any]:
    """The request field map with secrets dropped, overrides applied and id shapes added."""
    source = raw["request"] if isinstance(raw["request"], dict) else {}
    fields_map = {k: v for k, v in source.items() if k not in SECRET_QUERY_FIELDS}
    fields_map.update(FIELD_OVERRIDES.get(raw["path"], {}))
    for key in [k for k in fields_map if OBJECT_ID_FIELDS.match(k)]:
        spec = fields_map[key]
        notes = spec.get("notes") or ""
        if spec.get("type") in ("string", "array<string>") and "hex" not in notes:
            fields_map[key] = {**spec, "notes": "; ".join(filter(None, [notes, "24-hex ObjectID"]))}
    return fields_map


def area_title(area: str) -> str:
    return area.replace("_", " ")


def generate_models(specs: list[Spec]) -> dict[str, str]:
    """Model module source per area."""
    writers: dict[str, ModuleWriter] = {}
    for spec in specs:
        writer = writers.setdefault(spec.area, ModuleWriter())
        raw = spec.raw
        method_path = f"{raw['method']} {raw['path']}" if not spec.outbound else raw["name"]
        stem = (
            camel(raw["path"]) if not spec.outbound else spec.request_class.removesuffix("Payload")
        )
        # Payloads Flashduty sends us are parsed leniently, like answers.
        req_builder = ModelBuilder(
            writer,
            request=not spec.outbound,
            stem=stem,
            part_doc="Part of a payload Flashduty sends." if spec.outbound else None,
        )
        request_doc = (
            f"Payload Flashduty sends for: {raw['name'].lower()}."
            if spec.outbound
            else f"Request body of {method_path}."
        )
        req_map = effective_request(raw)
        event_type = req_map.get("event_type") if spec.outbound else None
        if event_type and (enum := parse_notes(event_type.get("notes"), "string").enum):
            constant = re.sub(r"(?<!^)(?=[A-Z])", "_", camel(spec.name)).upper() + "_EVENT_TYPES"
            writer.constants.append(f"{constant}: frozenset[str] = frozenset({sorted(enum)!r})")
            writer.constants.append(
                f'"""Documented ``event_type`` values of the {raw["name"].lower()}."""'
            )
        spec.request_class = req_builder.build_class(
            spec.request_class, req_map, docstring=request_doc
        )
        resp_builder = ModelBuilder(writer, request=False, stem=stem)
        data = raw["response_data"]
        response_doc = (
            f"Reply the receiver sends back for: {raw['name'].lower()}."
            if spec.outbound
            else f"The ``data`` of a {method_path} answer."
        )
        if isinstance(data, dict) and list(data) == ["[]"]:
            only = data["[]"]
            inner = resp_builder._type(
                only["type"][len("array<") : -1],
                {"item_fields": only.get("item_fields")},
                spec.response_class,
                "item",
                Rules(),
                top=False,
            )
            spec.item_class = inner if inner[0].isupper() else None
            spec.response_class = build_root_list(writer, spec.response_class, inner, response_doc)
        else:
            resp_map = data if isinstance(data, dict) else {}
            spec.response_empty = not resp_map
            spec.response_class = resp_builder.build_class(
                spec.response_class, resp_map, docstring=response_doc
            )
            items = resp_map.get("items") if spec.raw["paginated"] else None
            if isinstance(items, dict) and items.get("item_fields"):
                spec.item_class = resp_builder._type(
                    items["type"][len("array<") : -1],
                    {"item_fields": items["item_fields"]},
                    spec.response_class,
                    "items",
                    Rules(),
                    top=False,
                )
    out = {}
    for area, writer in writers.items():
        out[area] = writer.render(f"Request and response models of the {area_title(area)} area.")
    return out


def generate_catalog(specs: list[Spec]) -> str:
    areas = sorted({s.area for s in specs})
    lines = [
        '"""The endpoint catalog: one entry per in-scope Flashduty endpoint (generated)."""',
        "",
        "from __future__ import annotations",
        "",
        *(f"from flashcat_prefect.api._generated import {a} as _{a}" for a in areas),
        "from flashcat_prefect.api.catalog import (",
        "    DEFAULT_RATE_LIMIT,",
        "    EVENT_RATE_LIMIT,",
        "    EXPORT_RATE_LIMIT,",
        "    Endpoint,",
        "    RateLimit,",
        ")",
        "",
        "CATALOG: tuple[Endpoint, ...] = (",
    ]
    for s in specs:
        raw = s.raw
        task_module = f"{PACKAGE}.tasks.{s.area}"
        fields = [
            f"path={raw['path']!r}",
            f"method={raw['method']!r}",
            f"area={s.area!r}",
            f"name={s.name!r}",
            f"section={raw['section']!r}",
            f"summary={raw['name']!r}",
            f"legacy={s.legacy!r}",
            f"writes={s.writes!r}",
            f"paginated={raw['paginated']!r}",
            f"request_model=_{s.area}.{s.request_class}",
            f"response_model=_{s.area}.{s.response_class}",
            f"task={(f'{task_module}.{s.task}' if s.task else '')!r}",
            f"atask={(f'{task_module}.a{s.task}' if s.task else '')!r}",
            f"rate_limit={rate_limit_expr(raw)}",
            f"response_format={response_format(raw, s.outbound)!r}",
            f"auth={auth_of(raw, s.outbound)!r}",
        ]
        if "multipart" in (raw.get("request_content_type") or ""):
            fields.append("content_type='multipart'")
        if page_limit_max(raw) != 100:
            fields.append(f"page_limit_max={page_limit_max(raw)}")
        span = max_span_seconds(raw)
        if span:
            fields.append(f"max_span_seconds={span}")
        tags = [
            "flashcat",
            s.area,
            *(["legacy"] if s.legacy else []),
            *(["writes"] if s.writes else []),
        ]
        fields.append(f"tags={tuple(tags)!r}")
        if s.item_class:
            fields.append(f"item_model=_{s.area}.{s.item_class}")
        qp = query_params(raw)
        if qp:
            fields.append(f"query_params={qp!r}")
        lines.append("    Endpoint(")
        lines.extend(f"        {f}," for f in fields)
        lines.append("    ),")
    lines.append(")")
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------------------------------------
# Client namespaces
# ---------------------------------------------------------------------------------------------


def resource_class(area: str) -> str:
    return f"{camel(area)}Resource"


def return_type(spec: Spec) -> str:
    if response_format(spec.raw, spec.outbound) == "csv":
        return "str"
    model = f"_{spec.area}.{spec.response_class}"
    return f"{model} | None" if spec.response_empty else model


def body_type(spec: Spec) -> str:
    return f"_{spec.area}.{spec.request_class} | Mapping[str, Any] | None"


def first_line(spec: Spec) -> str:
    """One short sentence per endpoint, built from facts (verb, path), not doc prose."""
    legacy = " Legacy: only in archived specs." if spec.legacy else ""
    return f"Call ``{spec.method} {spec.path}`` ({spec.raw['name'].lower()}).{legacy}"


def generate_resources(specs: list[Spec]) -> str:
    http = [s for s in specs if not s.outbound]
    areas = sorted({s.area for s in http})
    out = [
        '"""Typed endpoint namespaces for the clients (generated by tools/generate_api.py).',
        "",
        "``FlashcatClient`` inherits :class:`SyncResources` and ``AsyncFlashcatClient``",
        ":class:`AsyncResources`; each area is one cached attribute (``client.incidents``) whose",
        "methods validate, send and decode one endpoint through ``client.call``. Paginated lists",
        "also get ``iter_<name>`` walking every page through ``client.iter_items``.",
        '"""',
        "",
        "from __future__ import annotations",
        "",
        "import functools",
        "from collections.abc import AsyncIterator, Iterable, Iterator, Mapping",
        "from typing import Any",
        "",
        "from pydantic import BaseModel",
        "",
        "from flashcat_prefect.api import get_endpoint",
        *(f"from flashcat_prefect.api._generated import {a} as _{a}" for a in areas),
        "from flashcat_prefect.api.catalog import Endpoint",
        "",
        "",
        "def _parse_item(endpoint: Endpoint, item: Any) -> Any:",
        '    """Turn one raw list element into the endpoint\'s item model (if it has one)."""',
        "    if endpoint.item_model is None or isinstance(item, BaseModel):",
        "        return item",
        "    return endpoint.item_model.model_validate(item)",
        "",
        "",
        "def _parse_items(endpoint: Endpoint, items: Iterable[Any]) -> Iterator[Any]:",
        "    for item in items:",
        "        yield _parse_item(endpoint, item)",
        "",
        "",
        "class _Resource:",
        '    """One area of the API bound to a client."""',
        "",
        "    def __init__(self, client: Any) -> None:",
        "        self._client = client",
        "",
    ]
    for asynchronous in (False, True):
        for area in areas:
            cls = ("Async" if asynchronous else "") + resource_class(area)
            out += ["", f"class {cls}(_Resource):"]
            kind = "async " if asynchronous else ""
            out += [f'    """The {area_title(area)} endpoints ({kind}``client.{area}``)."""', ""]
            for spec in (s for s in http if s.area == area):
                const = f'get_endpoint("{spec.path}")'
                ret = return_type(spec)
                if asynchronous:
                    out += [
                        f"    async def {spec.name}(",
                        f"        self, body: {body_type(spec)} = None, /, **fields: Any",
                        f"    ) -> {ret}:",
                        f'        """{first_line(spec)}"""',
                        f"        return await self._client.call({const}, body, **fields)",
                        "",
                    ]
                else:
                    out += [
                        f"    def {spec.name}(",
                        f"        self, body: {body_type(spec)} = None, /, **fields: Any",
                        f"    ) -> {ret}:",
                        f'        """{first_line(spec)}"""',
                        f"        return self._client.call({const}, body, **fields)",
                        "",
                    ]
                if spec.raw["paginated"]:
                    item = f"_{spec.area}.{spec.item_class}" if spec.item_class else "Any"
                    doc = f"Yield every item of ``{spec.name}`` across all pages."
                    if asynchronous:
                        out += [
                            f"    async def iter_{spec.name}(",
                            f"        self, body: {body_type(spec)} = None, /, **fields: Any",
                            f"    ) -> AsyncIterator[{item}]:",
                            f'        """{doc}"""',
                            f"        endpoint = {const}",
                            "        async for item in self._client.iter_items(endpoint, body, **fields):",
                            "            yield _parse_item(endpoint, item)",
                            "",
                        ]
                    else:
                        out += [
                            f"    def iter_{spec.name}(",
                            f"        self, body: {body_type(spec)} = None, /, **fields: Any",
                            f"    ) -> Iterator[{item}]:",
                            f'        """{doc}"""',
                            f"        endpoint = {const}",
                            "        return _parse_items(endpoint, self._client.iter_items(endpoint, body, **fields))",
                            "",
                        ]
    for asynchronous in (False, True):
        prefix = "Async" if asynchronous else ""
        out += [
            "",
            f"class {prefix or 'Sync'}Resources:",
            f'    """Mixin giving {"an async" if asynchronous else "a"} client one attribute per API area."""',
            "",
        ]
        for area in areas:
            cls = prefix + resource_class(area)
            out += [
                "    @functools.cached_property",
                f"    def {area}(self) -> {cls}:",
                f'        """The {area_title(area)} endpoints."""',
                f"        return {cls}(self)",
                "",
            ]
    out += [
        "",
        "AREAS: tuple[str, ...] = " + repr(tuple(areas)),
        '"""Names of the client namespaces, one per API area."""',
    ]
    return "\n".join(out) + "\n"


# ---------------------------------------------------------------------------------------------
# Tasks
# ---------------------------------------------------------------------------------------------


def generate_task_module(area: str, specs: list[Spec]) -> str:
    needs_integration = any(auth_of(s.raw, False) == "integration_key" for s in specs)
    needs_credentials = any(auth_of(s.raw, False) == "app_key" for s in specs)
    blocks = [
        n
        for n, used in (
            ("FlashcatCredentials", needs_credentials),
            ("FlashcatIntegration", needs_integration),
        )
        if used
    ]
    out = [
        f'"""Prefect tasks for the {area_title(area)} area: one task and an async twin per endpoint.',
        "",
        "Generated by tools/generate_api.py. Each task builds a client from the block, validates",
        "the body with the endpoint's request model, sends it and returns the parsed answer.",
        '"""',
        "",
        "from __future__ import annotations",
        "",
        "from collections.abc import Mapping",
        "from typing import Any",
        "",
        "from prefect import task",
        "",
        "from flashcat_prefect.api import get_endpoint",
        f"from flashcat_prefect.api._generated import {area} as _{area}",
        f"from flashcat_prefect.credentials import {', '.join(blocks)}",
        "from flashcat_prefect.tasks._base import arun_endpoint, run_endpoint, task_options",
        "",
    ]
    names: list[str] = []
    for spec in specs:
        const = "_" + spec.task.upper()
        ret = return_type(spec)
        integration = auth_of(spec.raw, False) == "integration_key"
        param, block = (
            ("integration", "FlashcatIntegration")
            if integration
            else (
                "credentials",
                "FlashcatCredentials",
            )
        )
        param_doc = (
            "the Event API integration block (its key authenticates the call)."
            if integration
            else "the Flashcat credentials block (app key and connection settings)."
        )
        returns_doc = (
            "The CSV text of the export."
            if ret == "str"
            else f"The parsed answer ({ret.replace(f'_{area}.', '')})."
        )
        doc = [
            f'    """{first_line(spec)}',
            "",
            "    Args:",
            f"        {param}: {param_doc}",
            f"        body: the request as ``{spec.request_class}`` or a mapping; ``fields`` are merged in.",
            "",
            "    Returns:",
            f"        {returns_doc}",
            '    """',
        ]
        out += ["", f'{const} = get_endpoint("{spec.path}")', ""]
        for asynchronous in (False, True):
            name = ("a" if asynchronous else "") + spec.task
            names.append(name)
            opts = (
                f"task_options({const}, asynchronous=True)"
                if asynchronous
                else f"task_options({const})"
            )
            out += [
                "",
                f"@task(**{opts})",
                f"{'async ' if asynchronous else ''}def {name}(",
                f"    {param}: {block},",
                f"    body: {body_type(spec)} = None,",
                "    **fields: Any,",
                f") -> {ret}:",
                *(
                    doc
                    if not asynchronous
                    else [
                        f'    """Async twin of :func:`{spec.task}`: same arguments, same answer."""'
                    ]
                ),
                (
                    f"    return await arun_endpoint({param}, {const}, body, fields)"
                    if asynchronous
                    else f"    return run_endpoint({param}, {const}, body, fields)"
                ),
                "",
            ]
    out += ["", "__all__ = " + repr(sorted(names))]
    return "\n".join(out) + "\n"


def generate_tasks_init(specs: list[Spec]) -> str:
    http = [s for s in specs if not s.outbound]
    mapping = {}
    for spec in http:
        mapping[spec.task] = spec.area
        mapping["a" + spec.task] = spec.area
    lines = [
        '"""Prefect tasks for every Flashduty endpoint, grouped by area (generated).',
        "",
        "``from flashcat_prefect.tasks import list_incidents`` works for every task name; the",
        "area module is imported on first use so importing this package stays cheap.",
        '"""',
        "",
        "from __future__ import annotations",
        "",
        "import importlib",
        "from typing import Any",
        "",
        "TASK_MODULES: dict[str, str] = {",
        *(f'    "{name}": "{area}",' for name, area in sorted(mapping.items())),
        "}",
        '"""Task name -> area module under ``flashcat_prefect.tasks``."""',
        "",
        "",
        "def __getattr__(name: str) -> Any:",
        "    area = TASK_MODULES.get(name)",
        "    if area is None:",
        "        raise AttributeError(f\"module 'flashcat_prefect.tasks' has no attribute {name!r}\")",
        '    return getattr(importlib.import_module(f"flashcat_prefect.tasks.{area}"), name)',
        "",
        "",
        "def __dir__() -> list[str]:",
        "    return sorted([*globals(), *TASK_MODULES])",
        "",
        "",
        "__all__ = sorted(TASK_MODULES)",
    ]
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------------------------------------
# docs/api.md
# ---------------------------------------------------------------------------------------------


def generate_docs(specs: list[Spec]) -> str:
    http = [s for s in specs if not s.outbound]
    outbound = [s for s in specs if s.outbound]
    areas = sorted({s.area for s in http})
    legacy_total = sum(s.legacy for s in specs)
    lines = [
        "# API coverage",
        "",
        "Generated by `python tools/generate_api.py` from the API facts; do not edit by hand.",
        "",
        f"**{len(specs)} entries**: {len(http)} HTTP endpoints in {len(areas)} areas and "
        f"{len(outbound)} outbound payload shapes; {len(specs) - legacy_total} current, "
        f"{legacy_total} legacy (marked ⚠: only in archived specs, calls warn with "
        "`DeprecationWarning`).",
        "",
        "Every HTTP endpoint has a client method on `FlashcatClient` and `AsyncFlashcatClient`,",
        "a sync Prefect task and an async twin (`a` prefix) in `flashcat_prefect.tasks`.",
        "Paginated lists also have an `iter_<method>` iterator over every item.",
        "",
        "| area | endpoints | legacy |",
        "|------|----------:|-------:|",
    ]
    for area in areas:
        group = [s for s in http if s.area == area]
        lines.append(f"| [`{area}`](#{area}) | {len(group)} | {sum(s.legacy for s in group)} |")
    lines.append(f"| **total** | **{len(http)}** | **{sum(s.legacy for s in http)}** |")
    for area in areas:
        group = [s for s in http if s.area == area]
        lines += [
            "",
            f"## {area}",
            "",
            f"{len(group)} endpoint{'s' if len(group) != 1 else ''}; "
            f"module `flashcat_prefect.tasks.{area}`.",
            "",
            "| method | path | client method | tasks | notes |",
            "|--------|------|---------------|-------|-------|",
        ]
        for s in group:
            notes = []
            if s.legacy:
                notes.append("⚠ legacy")
            if s.raw["paginated"]:
                notes.append(f"{s.raw['paginated']} pages, `iter_{s.name}`")
            if s.writes:
                notes.append("writes")
            if response_format(s.raw, False) == "csv":
                notes.append("CSV")
            if auth_of(s.raw, False) == "integration_key":
                notes.append("integration key")
            lines.append(
                f"| {s.method} | `{s.path}` | `client.{s.area}.{s.name}` | "
                f"`{s.task}`, `a{s.task}` | {', '.join(notes)} |"
            )
    lines += [
        "",
        "## webhooks (outbound)",
        "",
        "Payloads Flashduty sends to your receivers; parse them with",
        "`flashcat_prefect.api.webhooks.parse_webhook` (or the specific `parse_*` functions).",
        "",
        "| shape | model | reply model |",
        "|-------|-------|-------------|",
    ]
    for s in outbound:
        lines.append(f"| {s.raw['name']} | `{s.request_class}` | `{s.response_class}` |")
    return "\n".join(lines) + "\n"


def generate(source: Path, root: Path) -> list[Path]:
    specs = build_specs(load_source(source))
    written: list[Path] = []
    gen_dir = root / PACKAGE / "api" / "_generated"
    if gen_dir.exists():
        shutil.rmtree(gen_dir)
    gen_dir.mkdir(parents=True)

    def write(path: Path, text: str) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)

    for area, text in sorted(generate_models(specs).items()):
        write(gen_dir / f"{area}.py", text)
    write(
        gen_dir / "__init__.py",
        '"""Generated by tools/generate_api.py from the API facts; do not edit by hand."""\n',
    )
    write(gen_dir / "catalog_data.py", generate_catalog(specs))
    write(root / PACKAGE / "client" / "_generated_resources.py", generate_resources(specs))
    tasks_dir = root / PACKAGE / "tasks"
    http = [s for s in specs if not s.outbound]
    for area in sorted({s.area for s in http}):
        write(
            tasks_dir / f"{area}.py",
            generate_task_module(area, [s for s in http if s.area == area]),
        )
    write(tasks_dir / "__init__.py", generate_tasks_init(specs))
    docs = root / "docs" / "api.md"  # markdown: written, not handed to the formatter
    docs.parent.mkdir(parents=True, exist_ok=True)
    docs.write_text(generate_docs(specs), encoding="utf-8")
    return written


def format_outputs(paths: Iterable[Path]) -> None:
    """Sort imports and format with ruff under the repository's settings (deterministic)."""
    beside_python = Path(sys.executable).parent / "ruff"
    cmd = str(beside_python) if beside_python.exists() else shutil.which("ruff")
    if not cmd:
        raise SystemExit("ruff is needed to format the generated code (pip install ruff)")
    config = ["--config", str(REPO_ROOT / "pyproject.toml")]
    files = [str(p) for p in paths]
    subprocess.run(
        [cmd, "check", *config, "--fix", "--quiet", "--select", "I", *files], check=False
    )
    subprocess.run([cmd, "format", *config, "--quiet", *files], check=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=DEFAULT_SOURCE, help="endpoints.json")
    parser.add_argument("--root", type=Path, default=REPO_ROOT, help="repository root")
    args = parser.parse_args(argv)
    if not args.source.exists():
        print(f"source not found: {args.source}", file=sys.stderr)
        return 2
    paths = generate(args.source, args.root)
    format_outputs(paths)
    print(f"wrote {len(paths)} files")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
