"""What type checkers see of :mod:`flashcat_prefect.api.models` (generated): every area's
model module and the shared ``entities``, which the package itself imports on first use."""

from flashcat_prefect.api._generated import (
    alert_events as alert_events,
)
from flashcat_prefect.api._generated import (
    alert_pipelines as alert_pipelines,
)
from flashcat_prefect.api._generated import (
    alert_views as alert_views,
)
from flashcat_prefect.api._generated import (
    alerts as alerts,
)
from flashcat_prefect.api._generated import (
    calendars as calendars,
)
from flashcat_prefect.api._generated import (
    changes as changes,
)
from flashcat_prefect.api._generated import (
    channels as channels,
)
from flashcat_prefect.api._generated import (
    comment_types as comment_types,
)
from flashcat_prefect.api._generated import (
    drop_rules as drop_rules,
)
from flashcat_prefect.api._generated import (
    enrichment as enrichment,
)
from flashcat_prefect.api._generated import (
    entities as entities,
)
from flashcat_prefect.api._generated import (
    escalation_rules as escalation_rules,
)
from flashcat_prefect.api._generated import (
    events as events,
)
from flashcat_prefect.api._generated import (
    fields as fields,
)
from flashcat_prefect.api._generated import (
    incident_views as incident_views,
)
from flashcat_prefect.api._generated import (
    incidents as incidents,
)
from flashcat_prefect.api._generated import (
    inhibit_rules as inhibit_rules,
)
from flashcat_prefect.api._generated import (
    insight_metrics as insight_metrics,
)
from flashcat_prefect.api._generated import (
    insights as insights,
)
from flashcat_prefect.api._generated import (
    licenses as licenses,
)
from flashcat_prefect.api._generated import (
    mappings as mappings,
)
from flashcat_prefect.api._generated import (
    members as members,
)
from flashcat_prefect.api._generated import (
    notification_rules as notification_rules,
)
from flashcat_prefect.api._generated import (
    persons as persons,
)
from flashcat_prefect.api._generated import (
    post_mortems as post_mortems,
)
from flashcat_prefect.api._generated import (
    preferences as preferences,
)
from flashcat_prefect.api._generated import (
    reports as reports,
)
from flashcat_prefect.api._generated import (
    routes as routes,
)
from flashcat_prefect.api._generated import (
    schedules as schedules,
)
from flashcat_prefect.api._generated import (
    silence_rules as silence_rules,
)
from flashcat_prefect.api._generated import (
    status_pages as status_pages,
)
from flashcat_prefect.api._generated import (
    subscription_rules as subscription_rules,
)
from flashcat_prefect.api._generated import (
    teams as teams,
)
from flashcat_prefect.api._generated import (
    templates as templates,
)
from flashcat_prefect.api._generated import (
    war_rooms as war_rooms,
)
from flashcat_prefect.api._generated import (
    webhook_history as webhook_history,
)
from flashcat_prefect.api._generated import (
    webhooks as webhooks,
)
from flashcat_prefect.api._generated import (
    work_items as work_items,
)

AREAS: tuple[str, ...]
SHARED: str
