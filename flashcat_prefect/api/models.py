"""The request and response models, grouped by API area.

Several areas define a model of the same name with a different shape (``FilterCondition``,
``TimeFilter``, ...), so the models are reached through their area rather than one flat
namespace::

    from flashcat_prefect.api.models import incidents

    request = incidents.IncidentListRequest(start_time=t0, end_time=t1, limit=100)

For one endpoint, ``get_endpoint("/incident/list").request_model`` gives the same class.
"""

from __future__ import annotations

import importlib
import pkgutil
from types import ModuleType

from flashcat_prefect.api import _generated

AREAS: tuple[str, ...] = tuple(
    sorted(m.name for m in pkgutil.iter_modules(_generated.__path__) if m.name != "catalog_data")
)


def __getattr__(area: str) -> ModuleType:
    if area not in AREAS:
        raise AttributeError(f"no models for area {area!r}; areas: {', '.join(AREAS)}")
    return importlib.import_module(f"{_generated.__name__}.{area}")


def __dir__() -> list[str]:
    return [*AREAS, "AREAS"]
