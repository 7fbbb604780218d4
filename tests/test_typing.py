"""Type checkers see the real signatures: mypy flags a misspelt field on a client method and on
a task, accepts the correct calls, and infers the endpoint's response model as the answer."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from mypy import api as mypy_api

REPO_ROOT = Path(__file__).resolve().parents[1]

SNIPPET = textwrap.dedent(
    """
    from flashcat_prefect import FlashcatClient, FlashcatCredentials
    from flashcat_prefect.api.models import incidents
    from flashcat_prefect.flows import sync_holiday_calendar
    from flashcat_prefect.tasks import alist_incidents, list_incidents

    client = FlashcatClient("key")
    credentials = FlashcatCredentials.load("flashduty")
    client.incidents.list(start_tme=1, end_time=2)  # line 9: misspelt
    list_incidents(credentials, start_tme=1, end_time=2)  # line 10: misspelt
    client.incidents.list(start_time=1, end_time=2, limit=10, timeout=5.0, extra_body={"x": 1})
    list_incidents(credentials, start_time=1, end_time=2, channel_ids=[1, 2])
    reveal_type(client.incidents.list(start_time=1, end_time=2))
    reveal_type(list_incidents(credentials, start_time=1, end_time=2))
    reveal_type(alist_incidents)
    reveal_type(incidents.IncidentListRequest)
    reveal_type(sync_holiday_calendar)
    """
)


def test_mypy_sees_fields_and_answers(tmp_path):
    snippet = tmp_path / "snippet.py"
    snippet.write_text(SNIPPET, encoding="utf-8")
    out, err, status = mypy_api.run(
        [
            "--config-file",
            str(REPO_ROOT / "pyproject.toml"),
            "--cache-dir",
            str(REPO_ROOT / ".mypy_cache"),
            str(snippet),
        ]
    )
    lines = [line.split("snippet.py:", 1)[1] for line in out.splitlines() if "snippet.py:" in line]
    errors = [line for line in lines if ": error:" in line]
    assert [e.split(":", 1)[0] for e in errors] == ["9", "10"], out + err
    assert "start_tme" in errors[0]  # the task's error lists the signature instead
    revealed = [
        line.split('Revealed type is "', 1)[1].rstrip('"')
        for line in lines
        if "Revealed type" in line
    ]
    assert revealed[0] == "flashcat_prefect.api._generated.incidents.IncidentListResponse"
    assert revealed[1] == "flashcat_prefect.api._generated.incidents.IncidentListResponse"
    assert revealed[2].endswith(
        "Coroutine[Any, Any, flashcat_prefect.api._generated.incidents.IncidentListResponse]]"
    )
    assert revealed[3].startswith("def (")  # the model class, not Any
    assert "Flow" in revealed[4]
    assert status == 1


def test_lazy_packages_list_what_they_load():
    import flashcat_prefect.flows as flows
    import flashcat_prefect.tasks as tasks

    assert sorted(flows.__all__) == sorted(flows._LAZY)
    assert sorted(tasks.__all__) == sorted(tasks.TASK_MODULES)


def test_lazy_names_show_in_dir_and_load_on_first_use():
    import flashcat_prefect
    import flashcat_prefect.tasks as tasks
    from flashcat_prefect.api import models

    for package in (flashcat_prefect, tasks):
        assert set(package.__all__) <= set(dir(package))
    assert {*models.AREAS, models.SHARED} <= set(dir(models))
    assert flashcat_prefect.FlashcatClient.__name__ == "FlashcatClient"
    assert models.incidents.IncidentListRequest.__module__.endswith("incidents")
    assert tasks.list_incidents.name == "list_incidents"
    with pytest.raises(AttributeError, match=r"areas: .*incidents"):
        models.no_such_area  # noqa: B018
    with pytest.raises(AttributeError, match="has no attribute 'list_incidnets'"):
        tasks.list_incidnets  # noqa: B018
