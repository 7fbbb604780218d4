"""The layout rules of ``flashcat_prefect/flows/``, checked on the source.

- The routines call the typed client, not raw API paths: a string literal that is a catalog
  path may only appear on a line marked ``# round-trip:`` (a write that must send back fields
  the request model does not know).
- The CLI and the deployment kit (``flows/``, ``blocks/``, ``benchmarks/``) import only public
  names of :mod:`flashcat_prefect.flows`, never one of its ``_private`` modules.
"""

from __future__ import annotations

import ast
import io
import tokenize
from pathlib import Path

import pytest

from flashcat_prefect.api import CATALOG

ROOT = Path(__file__).resolve().parent.parent
FLOWS_PACKAGE = ROOT / "flashcat_prefect" / "flows"
KIT_DIRS = ("flashcat_prefect/cli", "flows", "blocks", "benchmarks")
ROUND_TRIP_MARK = "# round-trip:"
API_PATHS = frozenset(endpoint.path for endpoint in CATALOG)


def _relative(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def _cases(paths: list[Path]) -> list[object]:
    return [pytest.param(path, id=_relative(path)) for path in paths]


def raw_path_lines(source: str) -> list[tuple[int, str]]:
    """(line, path) of every catalog-path string literal not on a ``# round-trip:`` line."""
    marked = {
        token.start[0]
        for token in tokenize.generate_tokens(io.StringIO(source).readline)
        if token.type == tokenize.COMMENT and token.string.startswith(ROUND_TRIP_MARK)
    }
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Constant) and node.value in API_PATHS:
            lines = range(node.lineno, (node.end_lineno or node.lineno) + 1)
            if not marked.intersection(lines):
                found.append((node.lineno, str(node.value)))
    return sorted(found)


def private_flows_imports(source: str) -> list[tuple[int, str]]:
    """(line, module) of every import of a ``_private`` module of ``flashcat_prefect.flows``."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            modules = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            modules = [node.module, *(f"{node.module}.{alias.name}" for alias in node.names)]
        else:
            continue
        for module in modules:
            parts = module.split(".")
            if parts[:2] == ["flashcat_prefect", "flows"] and any(
                part.startswith("_") for part in parts[2:]
            ):
                found.append((node.lineno, module))
    return found


def test_the_checks_catch_what_they_look_for() -> None:
    source = (
        'client.request("/calendar/info", {})\n'
        'client.request("/channel/escalate/rule/update", body)  # round-trip: whole rule\n'
        'label = "/not/an/api/path"\n'
        "from flashcat_prefect.flows.holiday._plan import Prune\n"
        "from flashcat_prefect.flows import _events\n"
        "from flashcat_prefect.flows.holiday import sync_holiday_calendar\n"
    )
    assert raw_path_lines(source) == [(1, "/calendar/info")]
    assert private_flows_imports(source) == [
        (4, "flashcat_prefect.flows.holiday._plan"),
        (4, "flashcat_prefect.flows.holiday._plan.Prune"),
        (5, "flashcat_prefect.flows._events"),
    ]


@pytest.mark.parametrize("path", _cases(sorted(FLOWS_PACKAGE.rglob("*.py"))))
def test_flows_send_no_raw_api_path(path: Path) -> None:
    assert raw_path_lines(path.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize(
    "path", _cases(sorted(p for folder in KIT_DIRS for p in (ROOT / folder).rglob("*.py")))
)
def test_cli_and_kit_import_only_public_flows_names(path: Path) -> None:
    assert private_flows_imports(path.read_text(encoding="utf-8")) == []
