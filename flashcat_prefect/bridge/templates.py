"""``{{a.b.0.c}}`` placeholders filled from a webhook payload.

The syntax follows Flashduty's own custom webhook bodies: a dotted path walks mappings by key
and lists by index. A string that is exactly one placeholder keeps the JSON type of the value
it points at (an int stays an int, a mapping stays a mapping); placeholders inside longer text
are replaced by the value's text. A path that leads nowhere gives ``None`` as a whole value and
an empty string inside text.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

PLACEHOLDER = re.compile(r"\{\{\s*([^{}]*?)\s*\}\}")
_PATH = re.compile(r"^[A-Za-z0-9_\-]+(\.[A-Za-z0-9_\-]+)*$")


class TemplateError(ValueError):
    """A placeholder that is not a dotted path."""


def placeholder_paths(template: Any) -> list[str]:
    """Every placeholder path inside ``template`` (strings, lists and mappings, nested)."""
    if isinstance(template, str):
        return [match.group(1) for match in PLACEHOLDER.finditer(template)]
    if isinstance(template, Mapping):
        return [path for value in template.values() for path in placeholder_paths(value)]
    if isinstance(template, list | tuple):
        return [path for value in template for path in placeholder_paths(value)]
    return []


def check_template(template: Any, *, where: str) -> None:
    """Raise :class:`TemplateError` naming ``where`` if a placeholder is not a dotted path."""
    for path in placeholder_paths(template):
        if not _PATH.match(path):
            raise TemplateError(
                f"{where}: placeholder {{{{{path}}}}} must be a dotted path such as "
                "{{incident.incident_id}} or {{incident.alerts.0.alert_key}}"
            )


def lookup(data: Any, path: str) -> Any:
    """The value at dotted ``path`` inside ``data``, or ``None`` when the path leads nowhere."""
    current = data
    for part in path.split("."):
        if isinstance(current, Mapping):
            current = current.get(part)
        elif isinstance(current, list | tuple) and part.isdigit() and int(part) < len(current):
            current = current[int(part)]
        else:
            return None
        if current is None:
            return None
    return current


def _as_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def render(template: Any, data: Mapping[str, Any]) -> Any:
    """Fill every placeholder of ``template`` (recursively through lists and mappings)."""
    if isinstance(template, str):
        whole = PLACEHOLDER.fullmatch(template.strip())
        if whole:
            return lookup(data, whole.group(1))
        return PLACEHOLDER.sub(lambda match: _as_text(lookup(data, match.group(1))), template)
    if isinstance(template, Mapping):
        return {key: render(value, data) for key, value in template.items()}
    if isinstance(template, list | tuple):
        return [render(value, data) for value in template]
    return template
