"""Bridge routing rules, payload templates and event-id de-duplication (no HTTP, no Prefect)."""

from __future__ import annotations

from pathlib import Path

import pytest

from flashcat_prefect.bridge import dedup
from flashcat_prefect.bridge.dedup import SeenEvents
from flashcat_prefect.bridge.routing import (
    RouteConfigError,
    WebhookFacts,
    load_routes,
    parse_routes,
)
from flashcat_prefect.bridge.templates import render

REPO = Path(__file__).resolve().parents[1]

INCIDENT_BODY = {
    "event_time": 1_700_000_000_123,
    "event_type": "i_new",
    "event_id": "0123456789abcdef0123456789abcdef",
    "incident": {
        "incident_id": "65a1b2c3d4e5f60718293a4b",
        "title": "checkout 5xx",
        "incident_severity": "Critical",
        "incident_status": "Critical",
        "channel_id": 2001,
        "channel_name": "Payments",
        "labels": {"service": "checkout", "env": "prod-eu"},
        "alerts": [{"alert_key": "k-1"}, {"alert_key": "k-2"}],
    },
}
ALERT_BODY = {
    "event_time": 1_700_000_000_456,
    "event_type": "a_close",
    "event_id": "fedcba9876543210fedcba9876543210",
    "alert": {
        "alert_id": "65a1b2c3d4e5f60718293a4c",
        "title": "disk full",
        "alert_severity": "Warning",
        "alert_status": "Ok",
        "channel_id": 2002,
        "labels": {"host": "db-1"},
    },
}


def fired(routes_data, body) -> list[str]:
    table = parse_routes(routes_data)
    return [route.name for route in table.matching(WebhookFacts.of(body))]


class TestTemplates:
    def test_whole_placeholder_keeps_json_type(self):
        rendered = render(
            {"channel": "{{incident.channel_id}}", "labels": "{{ incident.labels }}"}, INCIDENT_BODY
        )
        assert rendered == {"channel": 2001, "labels": {"service": "checkout", "env": "prod-eu"}}

    def test_placeholders_inside_text_and_list_indexes(self):
        rendered = render(
            [
                "{{incident.title}} on {{incident.labels.service}}",
                "{{incident.alerts.1.alert_key}}",
            ],
            INCIDENT_BODY,
        )
        assert rendered == ["checkout 5xx on checkout", "k-2"]

    def test_missing_paths(self):
        assert render("{{incident.nope}}", INCIDENT_BODY) is None
        assert render("x-{{incident.alerts.9.alert_key}}-y", INCIDENT_BODY) == "x--y"
        assert render({"n": 3, "flag": True}, INCIDENT_BODY) == {"n": 3, "flag": True}


class TestFacts:
    def test_incident_facts(self):
        facts = WebhookFacts.of(INCIDENT_BODY)
        assert (facts.kind, facts.subject_id, facts.severity, facts.channel_id) == (
            "incident",
            INCIDENT_BODY["incident"]["incident_id"],
            "Critical",
            2001,
        )

    def test_alert_facts(self):
        facts = WebhookFacts.of(ALERT_BODY)
        assert (facts.kind, facts.event_type, facts.status, facts.labels) == (
            "alert",
            "a_close",
            "Ok",
            {"host": "db-1"},
        )


class TestMatching:
    def test_every_matching_route_fires_in_file_order(self):
        routes = [
            {"name": "all", "event": {}},
            {
                "name": "new-critical",
                "match": {"event_types": ["i_new"], "severities": ["Critical"]},
                "deployment": {"name": "f/d"},
            },
            {"name": "warning-only", "match": {"severities": ["Warning"]}, "event": {}},
        ]
        assert fired(routes, INCIDENT_BODY) == ["all", "new-critical"]
        assert fired(routes, ALERT_BODY) == ["all", "warning-only"]

    @pytest.mark.parametrize(
        ("match", "expected"),
        [
            ({"event_types": ["i_*"]}, True),
            ({"event_types": ["a_*"]}, False),
            ({"kinds": ["alert"]}, False),
            ({"channel_ids": [2001, 2005]}, True),
            ({"channel_ids": [2002]}, False),
            ({"channel_names": ["Payments"]}, True),
            ({"statuses": ["Ok"]}, False),
            ({"labels": {"service": "checkout"}}, True),
            ({"labels": {"service": ["payments", "checkout"]}}, True),
            ({"labels": {"env": "/^prod-/"}}, True),
            ({"labels": {"env": "/^staging/"}}, False),
            ({"labels": {"team": "/.*/"}}, False),  # absent label never matches
            ({"event_types": ["i_new"], "labels": {"service": "search"}}, False),
        ],
    )
    def test_conditions(self, match, expected):
        assert fired([{"name": "r", "match": match, "event": {}}], INCIDENT_BODY) == (
            ["r"] if expected else []
        )


class TestRouteConfigErrors:
    @pytest.mark.parametrize(
        ("routes", "message"),
        [
            ([{"name": "r"}], "exactly one action"),
            ([{"name": "r", "event": {}, "deployment": {"name": "f/d"}}], "exactly one action"),
            (
                [{"name": "r", "match": {"severity": ["Critical"]}, "event": {}}],
                "routes.0.match.severity: Extra inputs are not permitted",
            ),
            (
                [{"name": "r", "match": {"severities": ["High"]}, "event": {}}],
                "routes.0.match.severities.0",
            ),
            (
                [{"name": "r", "deployment": {"parameters": {}}}],
                "routes.0.deployment.name: Field required",
            ),
            ([{"name": "r", "event": {}}, {"name": "r", "event": {}}], "'r' is used twice"),
            (
                [{"name": "r", "match": {"labels": {"env": "/[/"}}, "event": {}}],
                "bad regular expression",
            ),
            (
                [{"name": "r", "deployment": {"name": "f/d", "parameters": {"x": "{{ a b }}"}}}],
                "placeholder {{a b}} must be a dotted path",
            ),
            ([{"name": "has space", "event": {}}], "routes.0.name"),
        ],
    )
    def test_errors_name_the_field_and_rule(self, routes, message):
        with pytest.raises(RouteConfigError, match="invalid routes") as info:
            parse_routes({"routes": routes})
        assert message in str(info.value)

    def test_yaml_file_errors(self, tmp_path):
        missing = tmp_path / "missing.yaml"
        with pytest.raises(RouteConfigError, match="cannot read route file"):
            load_routes(missing)
        broken = tmp_path / "broken.yaml"
        broken.write_text("routes: [\n", encoding="utf-8")
        with pytest.raises(RouteConfigError, match="not valid YAML"):
            load_routes(broken)
        scalar = tmp_path / "scalar.yaml"
        scalar.write_text("just text\n", encoding="utf-8")
        with pytest.raises(RouteConfigError, match="expected a mapping"):
            load_routes(scalar)

    def test_example_route_file_is_valid(self):
        table = load_routes(REPO / "examples" / "bridge-routes.yaml")
        body = {**INCIDENT_BODY, "incident": {**INCIDENT_BODY["incident"], "num": "293A4B"}}
        routes = table.matching(WebhookFacts.of(body))
        assert [route.name for route in routes] == ["restart-checkout", "incident-lifecycle-events"]
        restart = routes[0].deployment
        assert render(restart.parameters, body) == {
            "incident_id": body["incident"]["incident_id"],
            "service": "checkout",
            "channel_id": 2001,
        }
        assert render(restart.flow_run_name, body) == "restart checkout for 293A4B"


class TestSeenEvents:
    def test_second_delivery_is_a_duplicate(self):
        seen = SeenEvents()
        assert seen.first_time("a") is True
        assert seen.first_time("a") is False
        assert seen.first_time("b") is True
        seen.forget("a")
        assert seen.first_time("a") is True

    def test_entries_expire_after_the_ttl(self, monkeypatch):
        clock = [1000.0]
        monkeypatch.setattr(dedup.time, "monotonic", lambda: clock[0])
        seen = SeenEvents(ttl_seconds=60)
        assert seen.first_time("a")
        clock[0] += 59
        assert not seen.first_time("a")
        clock[0] += 2
        assert seen.first_time("a")
        assert len(seen) == 1

    def test_size_is_bounded_oldest_first(self):
        seen = SeenEvents(max_entries=2)
        for event_id in ("a", "b", "c"):
            assert seen.first_time(event_id)
        assert len(seen) == 2
        assert seen.first_time("a") is True  # evicted, so new again
        assert seen.first_time("c") is False

    @pytest.mark.parametrize(
        ("kwargs", "message"),
        [({"ttl_seconds": 0}, "ttl_seconds"), ({"max_entries": 0}, "max_entries")],
    )
    def test_bad_settings(self, kwargs, message):
        with pytest.raises(ValueError, match=message):
            SeenEvents(**kwargs)
