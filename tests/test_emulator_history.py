"""The seeded incident history looks like a real account's: escalations, the rule that
applied at the time, data sources, responders with ack times, links and owners."""

from __future__ import annotations

from typing import Any

import pytest

from flashcat_prefect.emulator import seed as demo
from tests.test_emulator_state import Api, push

WEEK = 7 * 86400


@pytest.fixture
def api(emulator: Any) -> Api:
    return Api(emulator)


def recent_incidents(api: Api, **filters: Any) -> list[dict[str, Any]]:
    now = api.emu.state.now
    found: list[dict[str, Any]] = []
    body = {
        "start_time": now - 2 * WEEK,
        "end_time": api.emu.state.clock() + 60,
        "limit": 100,
        **filters,
    }
    while True:
        page = api("/incident/list", body)
        found += page["items"]
        if not page["has_next_page"]:
            return found
        body["search_after_ctx"] = page["search_after_ctx"]


def test_a_believable_share_of_seeded_incidents_escalated_to_the_second_layer(api):
    incidents = recent_incidents(api)
    escalated = [i for i in incidents if i["assigned_to"]["type"] == "escalate"]
    assert 0.08 < len(escalated) / len(incidents) < 0.3
    assert {i["assigned_to"]["layer_idx"] for i in escalated} == {1}
    assert {i["assigned_to"]["layer_idx"] for i in incidents if i not in escalated} == {0}
    for incident in escalated:
        first, second = incident["responders"]
        assert incident["assigned_to"]["person_ids"] == [second["person_id"]]
        escalated_at = incident["start_time"] + demo.FIRST_LAYER_WINDOW
        assert second["assigned_at"] == incident["assigned_to"]["assigned_at"] == escalated_at
        # nobody acknowledged within the first layer's window
        assert incident["ack_time"] == 0 or incident["ack_time"] > escalated_at
        if incident["ack_time"]:
            assert second["acknowledged_at"] == incident["ack_time"]
            assert first["acknowledged_at"] == 0
            assert incident["owner_id"] == second["person_id"]


def test_seeded_incidents_carry_rule_data_source_responders_links_and_owner(api):
    incidents = recent_incidents(api, channel_ids=[2004])
    assert incidents
    for incident in incidents:
        assert incident["assigned_to"]["escalate_rule_name"] == demo.DEFAULT_RULE_NAME
        assert incident["assigned_to"]["escalate_rule_id"] == demo.DEFAULT_RULE_IDS[2004]
        assert (
            incident["data_source_id"] == incident["integration_id"] == demo.INTEGRATION_IDS[2004]
        )
        assert incident["data_source_ids"] == [demo.INTEGRATION_IDS[2004]]
        assert [link["name"] for link in incident["links"]] == ["Runbook"]
        acked = [r for r in incident["responders"] if r["acknowledged_at"]]
        if incident["ack_time"]:
            assert [r["acknowledged_at"] for r in acked] == [incident["ack_time"]]
            assert incident["owner"]["person_id"] == acked[0]["person_id"]
        else:
            assert acked == [] and incident["owner_id"] == 0


def test_an_incident_keeps_the_rule_that_assigned_it_after_the_rule_changes(api):
    """Renaming the rule, then switching the channel to another one, rewrites no past."""
    channel = demo.DEFAULT_CHANNEL_ID

    def alert(title: str) -> dict[str, Any]:
        assert push(api.emu, channel, event_status="Warning", title_rule=title).is_success
        found = recent_incidents(api, channel_ids=[channel], query=title)
        assert len(found) == 1
        return found[0]

    before = alert("Disk full on db-1")
    seeded = recent_incidents(api, channel_ids=[channel])[-1]
    rule = api(
        "/channel/escalate/rule/info", {"channel_id": channel, "rule_id": demo.DEFAULT_RULE_ID}
    )
    api(
        "/channel/escalate/rule/update",
        {
            "channel_id": channel,
            "rule_id": demo.DEFAULT_RULE_ID,
            "rule_name": "Renamed",
            "template_id": rule["template_id"],
            "layers": rule["layers"],
        },
    )
    api("/channel/escalate/rule/disable", {"channel_id": channel, "rule_id": demo.DEFAULT_RULE_ID})
    api("/channel/escalate/rule/enable", {"channel_id": channel, "rule_id": demo.HOLIDAY_RULE_ID})
    after = alert("Disk full on db-2")

    for old in (before, seeded):
        shown = api("/incident/info", {"incident_id": old["incident_id"]})["assigned_to"]
        assert (shown["escalate_rule_id"], shown["escalate_rule_name"]) == (
            demo.DEFAULT_RULE_ID,
            demo.DEFAULT_RULE_NAME,
        )
    assert (
        after["assigned_to"]["escalate_rule_id"],
        after["assigned_to"]["escalate_rule_name"],
    ) == (demo.HOLIDAY_RULE_ID, demo.HOLIDAY_RULE_NAME)


def test_insights_count_the_seeded_escalations(api):
    now = api.emu.state.now
    listed = recent_incidents(api)
    escalated = sum(i["assigned_to"]["type"] == "escalate" for i in listed)
    account = api(
        "/insight/account", {"start_time": now - 2 * WEEK, "end_time": api.emu.state.clock() + 60}
    )
    item = account["items"][0] if "items" in account else account
    assert item["total_incidents_escalated"] == escalated > 0
    assert item["total_incidents_timeout_escalated"] == escalated
