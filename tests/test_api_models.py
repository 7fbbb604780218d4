"""Request/response models and webhook payloads, checked through their public interfaces.

No HTTP here: these are the rules a typo must break before any request leaves the machine.
"""

from __future__ import annotations

import json

import pytest
from pydantic import BaseModel, ValidationError

from flashcat_prefect.api import CATALOG, get_endpoint
from flashcat_prefect.api.samples import SAMPLE_OBJECT_ID, minimal_request
from flashcat_prefect.api.webhooks import (
    AlertWebhookPayload,
    CustomActionPayload,
    IncidentWebhookPayload,
    LabelMappingRequest,
    LabelMappingResponse,
    WebhookParseError,
    is_documented_event_type,
    parse_alert_webhook,
    parse_custom_action,
    parse_incident_webhook,
    parse_label_mapping_request,
    parse_webhook,
)

HTTP = [e for e in CATALOG if e.is_http]


def request_model(path: str) -> type[BaseModel]:
    return get_endpoint(path).request_model


def response_model(path: str) -> type[BaseModel]:
    return get_endpoint(path).response_model


def rejected(model: type[BaseModel], body: dict) -> ValidationError:
    with pytest.raises(ValidationError) as info:
        model.model_validate(body)
    return info.value


def error_locations(error: ValidationError) -> list[tuple]:
    return [tuple(e["loc"]) for e in error.errors()]


# --- request models -------------------------------------------------------------------------


def test_unknown_field_is_rejected_by_name():
    error = rejected(request_model("/incident/list"), {"start_time": 1, "end_time": 2, "strat": 1})
    assert ("strat",) in error_locations(error)
    assert error.errors()[0]["type"] == "extra_forbidden"


def test_required_fields_are_required():
    error = rejected(request_model("/incident/list"), {"start_time": 1})
    assert ("end_time",) in error_locations(error)
    assert {e["type"] for e in error.errors()} == {"missing"}


def test_enum_from_notes_is_a_literal():
    model = request_model("/event/push/alert/standard")
    assert (
        model.model_validate({"event_status": "Warning", "title_rule": "disk"}).event_status
        == "Warning"
    )
    error = rejected(model, {"event_status": "warning", "title_rule": "disk"})
    assert error_locations(error) == [("event_status",)]
    assert "Critical" in str(error)


def test_integer_enum_and_comma_separated_enum():
    # /incident/list-by-card takes a comma-separated severity list.
    model = request_model("/incident/list-by-card")
    base = {"view_id": "6650f1a2b3c4d5e6f7a8b9c0", "start_time": 1, "end_time": 2}
    assert model.model_validate({**base, "incident_severity": "Critical,Info"})
    error = rejected(model, {**base, "incident_severity": "Critical,Major"})
    assert error_locations(error) == [("incident_severity",)]


def test_range_limits_from_notes():
    model = request_model("/incident/list")
    assert model.model_validate({"start_time": 1, "end_time": 2, "limit": 100}).limit == 100
    error = rejected(model, {"start_time": 1, "end_time": 2, "limit": 101})
    assert error_locations(error) == [("limit",)]
    assert error.errors()[0]["type"] == "less_than_equal"


def test_nested_ranges_name_the_nested_field():
    model = request_model("/channel/escalate/rule/create")
    body = minimal_request(get_endpoint("/channel/escalate/rule/create"))
    body["layers"] = [{"target": {"person_ids": [1]}, "max_times": 7, "notify_step": 0.25}]
    error = rejected(model, body)
    assert set(error_locations(error)) == {
        ("layers", 0, "max_times"),
        ("layers", 0, "notify_step"),
    }


def test_string_length_limits():
    model = request_model("/calendar/event/upsert")
    body = minimal_request(get_endpoint("/calendar/event/upsert"), {"cal_id": "cal.abc"})
    assert model.model_validate({**body, "summary": "x" * 39})
    error = rejected(model, {**body, "summary": "x" * 40})
    assert error_locations(error) == [("summary",)]
    assert error.errors()[0]["type"] == "string_too_long"


def test_date_and_clock_patterns():
    model = request_model("/calendar/event/upsert")
    body = minimal_request(get_endpoint("/calendar/event/upsert"), {"cal_id": "cal.abc"})
    error = rejected(model, {**body, "start_at": "2026/01/01"})
    assert error_locations(error) == [("start_at",)]
    rule = request_model("/channel/escalate/rule/create")
    body = minimal_request(get_endpoint("/channel/escalate/rule/create"))
    assert rule.model_validate({**body, "time_filters": [{"start": "09:00", "end": "18:30"}]})
    error = rejected(rule, {**body, "time_filters": [{"start": "9am", "end": "24:00"}]})
    assert set(error_locations(error)) == {("time_filters", 0, "start"), ("time_filters", 0, "end")}


def test_object_ids_and_int64_ids():
    ack = request_model("/incident/ack")
    assert ack.model_validate({"incident_ids": [SAMPLE_OBJECT_ID]})
    error = rejected(ack, {"incident_ids": ["not-an-object-id"]})
    assert error_locations(error) == [("incident_ids", 0)]
    assert error.errors()[0]["type"] == "string_pattern_mismatch"
    channel = request_model("/channel/info")
    error = rejected(channel, {"channel_id": "abc"})
    assert error_locations(error) == [("channel_id",)]


def test_list_sizes():
    ack = request_model("/incident/ack")
    assert error_locations(rejected(ack, {"incident_ids": []})) == [("incident_ids",)]
    too_many = [SAMPLE_OBJECT_ID] * 101
    error = rejected(ack, {"incident_ids": too_many})
    assert error.errors()[0]["type"] == "too_long"


def test_event_api_limits_from_prose():
    model = request_model("/event/push/alert/standard")
    base = {"event_status": "Ok", "title_rule": "t"}
    assert error_locations(rejected(model, {**base, "alert_key": "k" * 256})) == [("alert_key",)]
    labels = {f"k{i}": "v" for i in range(51)}
    assert error_locations(rejected(model, {**base, "labels": labels})) == [("labels",)]
    assert error_locations(rejected(model, {**base, "images": [{"alt": "no src"}]})) == [
        ("images", 0, "src")
    ]
    assert "integration_key" not in model.model_fields, "the key comes from the block"


def test_rule_settings_follow_the_kind():
    """A rule's settings must carry what its kind's shape requires (the spec's oneOf, picked
    by kind); the error names the missing setting and the kind."""
    enrichment = request_model("/enrichment/upsert")
    extraction = {
        "kind": "extraction",
        "settings": {"source_field": "title", "result_label": "service"},
    }
    assert enrichment.model_validate({"integration_id": 1, "rules": [extraction]})
    error = rejected(
        enrichment,
        {"integration_id": 1, "rules": [{"kind": "drop", "settings": {"source_field": "title"}}]},
    )
    assert error_locations(error) == [("rules", 0)]
    assert "settings.drop_labels is required when kind is drop" in str(error)
    pipeline = request_model("/alert/pipeline/upsert")
    assert pipeline.model_validate(
        {
            "integration_id": 1,
            "rules": [
                {"kind": "alert_drop", "settings": {}},
                {"kind": "title_reset", "settings": {"title": "x"}},
            ],
        }
    )
    assert "settings.severity is required" in str(
        rejected(
            pipeline,
            {
                "integration_id": 1,
                "rules": [{"kind": "severity_reset", "settings": {"title": "x"}}],
            },
        )
    )


def test_archived_spec_rules_apply_where_only_it_describes_the_operation():
    """Legacy operations take the enums the archived spec states; a ``{x}`` placeholder in
    an enum value stands for any text."""
    view = request_model("/incident/card-view/create")
    assert view.model_validate({"equals": ["title", "labels.host"]})
    assert error_locations(rejected(view, {"equals": ["labels."]})) == [("equals", 0)]
    preview = request_model("/template/preview")
    assert error_locations(rejected(preview, {"content": "x", "type": "pager"})) == [("type",)]
    preference = request_model("/preference/update")
    ways = {"critical": ["voice", "feishu_app:42"], "warning": ["email"], "info": []}
    assert preference.model_validate({"trigger_notify": ways})
    assert error_locations(rejected(preference, {"trigger_notify": {**ways, "info": ["fax"]}})) == [
        ("trigger_notify", "info", 0)
    ]


def test_keyword_field_names_use_aliases_on_the_wire():
    model = request_model("/route/upsert")
    body = {
        "integration_id": 1,
        "cases": [
            {
                "if": [{"key": "service", "oper": "IN", "vals": ["db"]}],
                "channel_ids": [2],
                "fallthrough": False,
            }
        ],
    }
    parsed = model.model_validate(body)
    dumped = parsed.model_dump(exclude_none=True, by_alias=True)
    assert dumped["cases"][0]["if"][0]["oper"] == "IN"
    error = rejected(
        model,
        {**body, "cases": [{**body["cases"][0], "if": [{"key": "a", "oper": "EQ", "vals": []}]}]},
    )
    assert error_locations(error) == [("cases", 0, "if", 0, "oper")]


def test_optional_fields_are_not_sent():
    model = request_model("/incident/list")
    dumped = model.model_validate({"start_time": 1, "end_time": 2}).model_dump(
        exclude_none=True, by_alias=True
    )
    assert dumped == {"start_time": 1, "end_time": 2}


@pytest.mark.parametrize("endpoint", HTTP, ids=lambda e: e.path)
def test_minimal_request_is_valid_for_every_endpoint(endpoint):
    body = minimal_request(endpoint, now=1_767_225_600)
    parsed = endpoint.request_model.model_validate(body)
    assert parsed.model_dump(exclude_none=True, by_alias=True) == body
    required = {
        info.alias or name
        for name, info in endpoint.request_model.model_fields.items()
        if info.is_required()
    }
    assert set(body) == required


def test_minimal_request_overrides_and_time_anchor():
    endpoint = get_endpoint("/incident/list")
    body = minimal_request(endpoint, {"channel_ids": [7]}, now=1_000_000)
    assert body == {"start_time": 1_000_000 - 86_400, "end_time": 1_000_000, "channel_ids": [7]}


# --- response models ------------------------------------------------------------------------


def test_response_models_keep_unknown_fields_and_accept_partial_answers():
    model = response_model("/incident/list")
    parsed = model.model_validate(
        {
            "items": [{"incident_id": SAMPLE_OBJECT_ID, "title": "db down", "brand_new": 1}],
            "has_next_page": False,
            "future_field": {"x": 1},
        }
    )
    assert parsed.items[0].title == "db down"
    assert parsed.items[0].model_extra == {"brand_new": 1}
    assert parsed.model_extra == {"future_field": {"x": 1}}
    assert model.model_validate({}).items is None


def test_response_models_are_typed():
    model = response_model("/incident/list")
    with pytest.raises(ValidationError) as info:
        model.model_validate({"items": [{"start_time": "yesterday"}]})
    assert error_locations(info.value) == [("items", 0, "start_time")]


def test_bare_array_answers_are_root_models():
    endpoint = get_endpoint("/oncall/roles")
    parsed = endpoint.response_model.model_validate([{"id": 1, "name": "primary"}])
    assert parsed.root[0].name == "primary"
    assert endpoint.item_model is type(parsed.root[0])


def test_empty_answers_have_open_models():
    for path in ("/incident/ack", "/calendar/event/delete", "/field/delete"):
        model = response_model(path)
        assert model.model_fields == {}
        assert model.model_validate({}).model_dump() == {}


def test_every_model_builds_a_schema():
    for endpoint in CATALOG:
        assert endpoint.request_model.model_json_schema()
        assert endpoint.response_model.model_json_schema()


# --- outbound webhooks ----------------------------------------------------------------------

INCIDENT_EVENT = {
    "event_time": 1_767_225_600_123,
    "event_type": "i_ack",
    "event_id": "0123456789abcdef0123456789abcdef",
    "person": {"person_id": 42, "person_name": "Ana", "email": "ana@example.com"},
    "incident": {
        "incident_id": SAMPLE_OBJECT_ID,
        "title": "api latency",
        "incident_severity": "Critical",
        "progress": "Processing",
        "labels": {"service": "api"},
        "responders": [{"person_id": 42, "acknowledged_at": 1_767_225_600}],
        "not_yet_documented": True,
    },
}
ALERT_EVENT = {
    "event_time": 1_767_225_600_000,
    "event_type": "a_new",
    "event_id": "fedcba9876543210fedcba9876543210",
    "alert": {"alert_id": SAMPLE_OBJECT_ID, "title": "cpu", "alert_severity": "Warning"},
}
CUSTOM_ACTION = {
    **INCIDENT_EVENT,
    "event_type": "i_custom",
    "incident": {**INCIDENT_EVENT["incident"], "alerts": [{"alert_id": SAMPLE_OBJECT_ID}]},
}
LABEL_LOOKUP = {
    "result_label_keys": ["owner"],
    "event": {"title": "disk", "labels": {"host": "db1"}, "event_status": "Warning"},
}


def test_parse_incident_webhook_from_bytes():
    payload = parse_incident_webhook(json.dumps(INCIDENT_EVENT).encode())
    assert isinstance(payload, IncidentWebhookPayload)
    assert payload.incident.responders[0].person_id == 42
    assert payload.incident.model_extra == {"not_yet_documented": True}
    assert payload.person.email == "ana@example.com"


def test_parse_alert_webhook_and_custom_action():
    alert = parse_alert_webhook(ALERT_EVENT)
    assert isinstance(alert, AlertWebhookPayload)
    assert alert.alert.title == "cpu"
    action = parse_custom_action(json.dumps(CUSTOM_ACTION))
    assert isinstance(action, CustomActionPayload)
    assert action.incident.alerts[0].alert_id == SAMPLE_OBJECT_ID


def test_parse_label_mapping_request_and_reply():
    request = parse_label_mapping_request(LABEL_LOOKUP)
    assert isinstance(request, LabelMappingRequest)
    assert request.event.labels == {"host": "db1"}
    reply = LabelMappingResponse(result_labels={"owner": "team-db"})
    assert reply.model_dump(exclude_none=True) == {"result_labels": {"owner": "team-db"}}


@pytest.mark.parametrize(
    ("body", "kind"),
    [
        (INCIDENT_EVENT, IncidentWebhookPayload),
        (ALERT_EVENT, AlertWebhookPayload),
        (CUSTOM_ACTION, CustomActionPayload),
        (LABEL_LOOKUP, LabelMappingRequest),
        ({**INCIDENT_EVENT, "event_type": "i_brand_new"}, IncidentWebhookPayload),
    ],
)
def test_parse_webhook_dispatches_on_event_type(body, kind):
    assert type(parse_webhook(json.dumps(body))) is kind


def test_parse_errors_are_clear():
    with pytest.raises(WebhookParseError, match="not valid JSON"):
        parse_webhook(b"{not json")
    with pytest.raises(WebhookParseError, match="JSON object"):
        parse_webhook("[1, 2]")
    with pytest.raises(WebhookParseError, match="unknown webhook payload"):
        parse_webhook({"event_type": "x_new"})
    with pytest.raises(WebhookParseError, match="'a_'"):
        parse_alert_webhook(INCIDENT_EVENT)
    with pytest.raises(WebhookParseError, match="i_custom"):
        parse_custom_action(INCIDENT_EVENT)
    with pytest.raises(WebhookParseError, match="event_time"):
        parse_incident_webhook({**INCIDENT_EVENT, "event_time": "noon"})


def test_documented_event_types():
    assert is_documented_event_type("i_rslv")
    assert is_documented_event_type("a_close")
    assert not is_documented_event_type("i_brand_new")


def test_models_are_public_by_area():
    from flashcat_prefect.api import get_endpoint, models
    from flashcat_prefect.api.models import incidents

    assert incidents.IncidentListRequest is get_endpoint("/incident/list").request_model
    assert set(models.AREAS) == {endpoint.area for endpoint in CATALOG}
    with pytest.raises(AttributeError, match="areas: "):
        models.no_such_area  # noqa: B018


def generated_model_classes() -> dict[tuple[str, str], type[BaseModel]]:
    """(module, class name) -> every model class the generated modules define."""
    import importlib
    import inspect

    from flashcat_prefect.api import models

    found = {}
    for module_name in (*models.AREAS, models.SHARED):
        module = importlib.import_module(f"flashcat_prefect.api._generated.{module_name}")
        for name, value in vars(module).items():
            if (
                inspect.isclass(value)
                and issubclass(value, BaseModel)
                and value.__module__ == module.__name__
                and value.__name__ == name
                and name.isidentifier()  # not pydantic's RootModel[list[...]] helpers
            ):
                found[(module_name, name)] = value
    return found


def shape_of(model: type[BaseModel]) -> tuple[object, ...]:
    """What makes two model classes interchangeable: config, fields, types, rules, defaults
    (nested models by identity, so equal nested shapes must already be one class)."""
    model.model_rebuild()
    return (
        model.model_config.get("extra"),
        tuple(
            (name, info.alias, repr(info.annotation), info.is_required(), repr(info.metadata))
            for name, info in model.model_fields.items()
        ),
    )


def test_each_shape_is_one_class_with_a_name_of_its_own():
    classes = generated_model_classes()
    by_name: dict[str, list[str]] = {}
    by_shape: dict[tuple[object, ...], list[str]] = {}
    for (module, name), model in classes.items():
        by_name.setdefault(name, []).append(module)
        by_shape.setdefault(shape_of(model), []).append(f"{module}.{name}")
    assert not {name: mods for name, mods in by_name.items() if len(mods) > 1}
    assert not [names for names in by_shape.values() if len(names) > 1]


def test_shared_entities_are_one_class_in_every_area():
    from flashcat_prefect.api.models import alert_events, alerts, entities, incidents

    assert incidents.AlertImage is alerts.AlertImage is alert_events.AlertImage
    assert incidents.AlertImage.__module__ == entities.__name__
    ids_only = {get_endpoint(p).request_model for p in ("/channel/info", "/channel/delete")}
    assert ids_only == {entities.ChannelIdRequest}
    assert request_model("/channel/enable") is request_model("/channel/silence/rule/list")
    assert response_model("/incident/ack") is response_model("/calendar/event/delete")
