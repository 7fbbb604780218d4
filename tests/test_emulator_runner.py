"""The runner's helpers: credentials and integration blocks, ASGI use, scale."""

from __future__ import annotations

import asyncio

import httpx
import numpy as np

from flashcat_prefect.emulator import FlashcatEmulator, create_app
from flashcat_prefect.emulator.seed import DEFAULT_CHANNEL_ID

DAY = 86400


def test_credentials_block_reaches_the_emulator(emulator, credentials):
    assert credentials.base_url == emulator.url
    assert emulator.app_key not in repr(credentials)
    with credentials.get_client() as client:
        teams = list(client.iter_items("/team/list", {}))
    assert sorted(t["team_name"] for t in teams) == [
        "Database",
        "Mobile",
        "Payments",
        "Platform",
        "SRE",
    ]


def test_integration_block_pushes_alerts_onto_its_channel(emulator, integration, credentials):
    alert_key = integration.push_alert("Critical", "Disk full on db-1", alert_key="disk-db-1")
    assert alert_key == "disk-db-1"
    integration.push_alert("Ok", "Disk full on db-1", alert_key="disk-db-1")
    now = emulator.state.clock()
    with credentials.get_client() as client:
        alerts = client.request(
            "/alert/list",
            {"start_time": now - 600, "end_time": now + 60, "alert_keys": ["disk-db-1"]},
        )["items"]
        (alert,) = [a for a in alerts if a["alert_key"] == "disk-db-1"]
        assert alert["channel_id"] == DEFAULT_CHANNEL_ID and alert["alert_status"] == "Ok"
        incident = client.request(
            "/incident/info", {"incident_id": alert["incident"]["incident_id"]}
        )
    assert incident["progress"] == "Closed" and incident["incident_status"] == "Ok"


def test_alert_list_covers_seeded_incidents_with_a_cursor(emulator):
    now = emulator.state.now
    table = emulator.state.incidents
    starts = table.cols["start"][: table.size]
    expected = int(((starts >= now - DAY) & (starts <= now)).sum())
    body = {"start_time": now - DAY, "end_time": now, "limit": 50}
    seen = []
    while True:
        data = httpx.post(
            emulator.url + "/alert/list", params={"app_key": emulator.app_key}, json=body
        ).json()["data"]
        seen += [a["alert_id"] for a in data["items"]]
        if not data["has_next_page"]:
            break
        body["search_after_ctx"] = data["search_after_ctx"]
    assert len(seen) == len(set(seen)) == expected


def test_app_works_over_asgi_transport_without_a_port():
    app = create_app(app_key="asgi-key", seed="demo", rate_limits=False)

    async def walk() -> int:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://emulator") as http:
            answer = await http.post(
                "/member/list", params={"app_key": "asgi-key"}, json={"limit": 100}
            )
            return answer.json()["data"]["total"]

    assert asyncio.run(walk()) == 30
    assert app.request_log.count("/member/list") == 1


def test_a_large_seed_is_built_and_paged():
    app = create_app(app_key="k", incidents=300_000, rate_limits=False, now=1_790_000_000)
    table = app.state.incidents
    assert table.size == 300_000
    starts = table.cols["start"][: table.size]
    assert bool(np.all(np.diff(starts) >= 0))
    window = {"start_time": 1_790_000_000 - 2 * DAY, "end_time": 1_790_000_000}
    expected = int(((starts >= window["start_time"]) & (starts <= window["end_time"])).sum())

    async def count_pages() -> tuple[int, int]:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://emulator") as http:
            body: dict = {**window, "limit": 100}
            seen, pages = 0, 0
            while True:
                data = (
                    await http.post("/incident/list", params={"app_key": "k"}, json=body)
                ).json()["data"]
                seen += len(data["items"])
                pages += 1
                if not data["has_next_page"]:
                    return seen, pages
                body["search_after_ctx"] = data["search_after_ctx"]

    seen, pages = asyncio.run(count_pages())
    assert seen == expected and pages == -(-expected // 100)


def test_emulator_repr_and_reset_keep_secrets_out():
    emu = FlashcatEmulator(seed="empty", app_key="s3cret-key")
    assert "s3cret-key" not in repr(emu)
    emu.reset(seed="demo")
    assert emu.state.incidents.size > 0 and emu.request_log.count() == 0
