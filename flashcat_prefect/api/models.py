"""The request and response models, grouped by API area.

Each area module holds the models of its endpoints::

    from flashcat_prefect.api.models import incidents

    request = incidents.IncidentListRequest(start_time=t0, end_time=t1, limit=100)

A class name means one shape everywhere in the package. Shapes that several areas use
(filter conditions, alert images, responders, id-only requests, empty answers, ...) are
generated once, in ``models.entities``, and every area module that uses one re-exports it,
so ``incidents.AlertImage is alerts.AlertImage``. For one endpoint,
``get_endpoint("/incident/list").request_model`` gives the same class.
"""

from __future__ import annotations

import pkgutil

from flashcat_prefect._lazy import lazy_names
from flashcat_prefect.api import _generated

SHARED = "entities"
"""The module of the models more than one area uses."""

AREAS: tuple[str, ...] = tuple(
    sorted(
        m.name
        for m in pkgutil.iter_modules(_generated.__path__)
        if m.name not in ("catalog_data", SHARED)
    )
)

# Type checkers read the area modules from models.pyi.
__getattr__, __dir__ = lazy_names(
    __name__,
    dict.fromkeys([*AREAS, SHARED], _generated.__name__),
    hint=f"no models for that area; areas: {', '.join(AREAS)}",
)
