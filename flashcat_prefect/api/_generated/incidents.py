"""Request and response models of the incidents area."""

from __future__ import annotations

from typing import Annotated, Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field

from flashcat_prefect.api._generated.entities import AlertEventItem as AlertEventItem
from flashcat_prefect.api._generated.entities import AlertImage as AlertImage
from flashcat_prefect.api._generated.entities import AlertIncident as AlertIncident
from flashcat_prefect.api._generated.entities import EmptyResponse as EmptyResponse
from flashcat_prefect.api._generated.entities import IncidentIdRequest as IncidentIdRequest
from flashcat_prefect.api._generated.entities import IncidentShort as IncidentShort
from flashcat_prefect.api._generated.entities import Responder as Responder
from flashcat_prefect.api.constraints import not_bool, time_span_at_most, unix_seconds

_REQUEST = ConfigDict(extra="forbid", populate_by_name=True, defer_build=True)
_RESPONSE = ConfigDict(extra="allow", populate_by_name=True, defer_build=True)


class IncidentListRequest(BaseModel):
    """Request body of POST /incident/list."""

    model_config = _REQUEST
    start_time: Annotated[int, not_bool, unix_seconds]
    end_time: Annotated[int, not_bool, unix_seconds]
    asc: bool | None = None
    is_snoozed: bool | None = None
    is_my_team: bool | None = None
    is_my_channel: bool | None = None
    ever_muted: bool | None = None
    is_rare: bool | None = None
    progress: str | None = None
    query: str | None = None
    incident_severity: str | None = None
    channel_ids: list[Annotated[int, not_bool]] | None = None
    team_ids: list[Annotated[int, not_bool]] | None = None
    responder_ids: list[Annotated[int, not_bool]] | None = None
    acker_ids: list[Annotated[int, not_bool]] | None = None
    creator_ids: list[Annotated[int, not_bool]] | None = None
    closer_ids: list[Annotated[int, not_bool]] | None = None
    incident_ids: list[Annotated[str, Field(pattern="^[0-9a-fA-F]{24}$")]] | None = None
    nums: list[str] | None = None
    p: Annotated[int, Field(ge=0), not_bool] | None = None
    limit: Annotated[int, Field(ge=0, le=100), not_bool] | None = None
    search_after_ctx: str | None = None
    title: str | None = None
    is_related: bool | None = None
    labels: dict[str, Any] | None = None
    fields_: dict[str, Any] | None = Field(None, alias="fields")

    check_time_span: ClassVar[Any] = time_span_at_most(31, "start_time", "end_time")


class AssignedTo(BaseModel):
    """Part of an answer."""

    model_config = _RESPONSE
    person_ids: list[int] | None = None
    escalate_rule_id: str | None = None
    layer_idx: int | None = None
    type: str | None = None
    emails: list[str] | None = None
    escalate_rule_name: str | None = None
    assigned_at: int | None = None
    id: str | None = None


class AlertEventItemOutput(BaseModel):
    """Part of an answer."""

    model_config = _RESPONSE
    event_id: str | None = None
    alert_id: str | None = None
    account_id: int | None = None
    channel_id: int | None = None
    integration_id: int | None = None
    integration_type: str | None = None
    data_source_id: int | None = None
    title: str | None = None
    title_rule: str | None = None
    description: str | None = None
    alert_key: str | None = None
    event_severity: str | None = None
    event_status: str | None = None
    event_time: int | None = None
    labels: dict[str, str] | None = None
    images: list[dict[str, Any]] | None = None
    created_at: int | None = None
    updated_at: int | None = None
    deleted_at: int | None = None


class Image(BaseModel):
    """Part of an answer."""

    model_config = _RESPONSE
    src: str | None = None
    href: str | None = None
    alt: str | None = None


class AlertInfo(BaseModel):
    """Part of an answer."""

    model_config = _RESPONSE
    alert_id: str | None = None
    integration_id: int | None = None
    data_source_id: int | None = None
    channel_id: int | None = None
    account_id: int | None = None
    description: str | None = None
    title: str | None = None
    title_rule: str | None = None
    alert_key: str | None = None
    alert_severity: str | None = None
    alert_status: str | None = None
    start_time: int | None = None
    last_time: int | None = None
    end_time: int | None = None
    labels: dict[str, str] | None = None
    ever_muted: bool | None = None
    deleted_at: int | None = None
    created_at: int | None = None
    updated_at: int | None = None
    integration_name: str | None = None
    integration_type: str | None = None
    integration_ref_id: str | None = None
    channel_name: str | None = None
    channel_status: str | None = None
    responder_name: str | None = None
    responder_email: str | None = None
    incident: IncidentShort | None = None
    events: list[AlertEventItemOutput] | None = None
    event_cnt: int | None = None
    images: list[Image] | None = None
    data_source_name: str | None = None
    data_source_type: str | None = None
    data_source_ref_id: str | None = None


class PersonShort(BaseModel):
    """Part of an answer."""

    model_config = _RESPONSE
    person_id: int | None = None
    person_name: str | None = None
    email: str | None = None
    as_: str | None = Field(None, alias="as")


class LinkItem(BaseModel):
    """Part of an answer."""

    model_config = _RESPONSE
    name: str | None = None
    endpoint: str | None = None
    open_type: str | None = None


class IncidentInfo(BaseModel):
    """Part of an answer."""

    model_config = _RESPONSE
    incident_id: str | None = None
    account_id: int | None = None
    channel_id: int | None = None
    integration_id: int | None = None
    integration_ids: list[int] | None = None
    integration_types: list[str] | None = None
    dedup_key: str | None = None
    equals_md5: str | None = None
    start_time: int | None = None
    end_time: int | None = None
    last_time: int | None = None
    ack_time: int | None = None
    close_time: int | None = None
    creator_id: int | None = None
    closer_id: int | None = None
    owner_id: int | None = None
    incident_status: str | None = None
    incident_severity: str | None = None
    progress: str | None = None
    title: str | None = None
    description: str | None = None
    ai_summary: str | None = None
    impact: str | None = None
    root_cause: str | None = None
    resolution: str | None = None
    num: str | None = None
    frequency: str | None = None
    deleted_at: int | None = None
    created_at: int | None = None
    updated_at: int | None = None
    snoozed_before: int | None = None
    group_method: str | None = None
    ever_muted: bool | None = None
    labels: dict[str, str] | None = None
    fields_: dict[str, Any] | None = Field(None, alias="fields")
    assigned_to: AssignedTo | None = None
    reporter_email: str | None = None
    alert_cnt: int | None = None
    active_alert_cnt: int | None = None
    alert_event_cnt: int | None = None
    alerts: list[AlertInfo] | None = None
    closer: PersonShort | None = None
    creator: PersonShort | None = None
    owner: PersonShort | None = None
    responders: list[Responder] | None = None
    account_name: str | None = None
    account_locale: str | None = None
    account_time_zone: str | None = None
    channel_name: str | None = None
    channel_status: str | None = None
    detail_url: str | None = None
    silence_url: str | None = None
    links: list[LinkItem] | None = None
    integration_type: str | None = None
    post_mortem_id: str | None = None
    images: list[Image] | None = None
    manual_overrides: list[str] | None = None
    data_source_id: int | None = None
    data_source_ids: list[int] | None = None
    data_source_type: str | None = None
    data_source_types: list[str] | None = None


class IncidentListResponse(BaseModel):
    """The ``data`` of the answer to POST /incident/list, POST /incident/list-by-ids."""

    model_config = _RESPONSE
    items: list[IncidentInfo] | None = None
    total: int | None = None
    has_next_page: bool | None = None
    search_after_ctx: str | None = None


class AlertInfoOutput(BaseModel):
    """Part of an answer."""

    model_config = _RESPONSE
    alert_id: str | None = None
    integration_id: int | None = None
    data_source_id: int | None = None
    channel_id: int | None = None
    account_id: int | None = None
    description: str | None = None
    title: str | None = None
    title_rule: str | None = None
    alert_key: str | None = None
    alert_severity: str | None = None
    alert_status: str | None = None
    start_time: int | None = None
    last_time: int | None = None
    end_time: int | None = None
    labels: dict[str, str] | None = None
    ever_muted: bool | None = None
    deleted_at: int | None = None
    created_at: int | None = None
    updated_at: int | None = None
    integration_name: str | None = None
    integration_type: str | None = None
    integration_ref_id: str | None = None
    channel_name: str | None = None
    channel_status: str | None = None
    responder_name: str | None = None
    responder_email: str | None = None
    incident: IncidentShort | None = None
    events: list[AlertEventItem] | None = None
    event_cnt: int | None = None
    images: list[Image] | None = None
    data_source_name: str | None = None
    data_source_type: str | None = None
    data_source_ref_id: str | None = None


class IncidentInfoResponse(BaseModel):
    """The ``data`` of the answer to POST /incident/info."""

    model_config = _RESPONSE
    incident_id: str | None = None
    account_id: int | None = None
    channel_id: int | None = None
    integration_id: int | None = None
    integration_ids: list[int] | None = None
    integration_types: list[str] | None = None
    dedup_key: str | None = None
    equals_md5: str | None = None
    start_time: int | None = None
    end_time: int | None = None
    last_time: int | None = None
    ack_time: int | None = None
    close_time: int | None = None
    creator_id: int | None = None
    closer_id: int | None = None
    owner_id: int | None = None
    incident_status: str | None = None
    incident_severity: str | None = None
    progress: str | None = None
    title: str | None = None
    description: str | None = None
    ai_summary: str | None = None
    impact: str | None = None
    root_cause: str | None = None
    resolution: str | None = None
    num: str | None = None
    frequency: str | None = None
    deleted_at: int | None = None
    created_at: int | None = None
    updated_at: int | None = None
    snoozed_before: int | None = None
    group_method: str | None = None
    ever_muted: bool | None = None
    labels: dict[str, str] | None = None
    fields_: dict[str, Any] | None = Field(None, alias="fields")
    assigned_to: AssignedTo | None = None
    reporter_email: str | None = None
    alert_cnt: int | None = None
    active_alert_cnt: int | None = None
    alert_event_cnt: int | None = None
    alerts: list[AlertInfoOutput] | None = None
    closer: PersonShort | None = None
    creator: PersonShort | None = None
    owner: PersonShort | None = None
    responders: list[Responder] | None = None
    account_name: str | None = None
    account_locale: str | None = None
    account_time_zone: str | None = None
    channel_name: str | None = None
    channel_status: str | None = None
    detail_url: str | None = None
    silence_url: str | None = None
    links: list[LinkItem] | None = None
    integration_type: str | None = None
    post_mortem_id: str | None = None
    images: list[Image] | None = None
    manual_overrides: list[str] | None = None
    data_source_id: int | None = None
    data_source_ids: list[int] | None = None
    data_source_type: str | None = None
    data_source_types: list[str] | None = None


class IncidentRequest(BaseModel):
    """Request body of POST /incident/list-by-ids, POST /incident/disable-merge."""

    model_config = _REQUEST
    incident_ids: list[Annotated[str, Field(pattern="^[0-9a-fA-F]{24}$")]]


class IncidentAlertListRequest(BaseModel):
    """Request body of POST /incident/alert/list."""

    model_config = _REQUEST
    incident_id: Annotated[str, Field(pattern="^[0-9a-fA-F]{24}$")]
    include_events: bool | None = None
    is_active: bool | None = None
    limit: Annotated[int, Field(ge=0, le=1000), not_bool] | None = None
    p: Annotated[int, Field(ge=0), not_bool] | None = None


class IncidentAlertListResponse(BaseModel):
    """The ``data`` of the answer to POST /incident/alert/list."""

    model_config = _RESPONSE
    items: list[AlertInfoOutput] | None = None
    total: int | None = None


class IncidentFeedRequest(BaseModel):
    """Request body of POST /incident/feed."""

    model_config = _REQUEST
    incident_id: Annotated[str, Field(pattern="^[0-9a-fA-F]{24}$")]
    p: Annotated[int, Field(ge=1), not_bool] | None = None
    limit: Annotated[int, Field(ge=1, le=100), not_bool] | None = None
    asc: bool | None = None
    types: (
        list[
            Literal[
                "i_new",
                "i_assign",
                "i_a_rspd",
                "i_notify",
                "i_storm",
                "i_snooze",
                "i_wake",
                "i_ack",
                "i_unack",
                "i_comm",
                "i_rslv",
                "i_reopen",
                "i_merge",
                "i_r_title",
                "i_r_desc",
                "i_r_impact",
                "i_r_rc",
                "i_r_rsltn",
                "i_r_severity",
                "i_r_field",
                "i_m_flapping",
                "i_m_reply",
                "i_custom",
                "i_wr_create",
                "i_wr_delete",
                "i_auto_refresh",
                "a_merge",
            ]
        ]
        | None
    ) = None


class NotifyPerson(BaseModel):
    """Part of an answer."""

    model_config = _RESPONSE
    person_id: int | None = None
    failed_reason: str | None = None


class NotifyChat(BaseModel):
    """Part of an answer."""

    model_config = _RESPONSE
    data_source_id: int | None = None
    chat_id: str | None = None
    chat_name: str | None = None
    failed_reason: str | None = None


class NotifyRobot(BaseModel):
    """Part of an answer."""

    model_config = _RESPONSE
    token: str | None = None
    alias: str | None = None
    failed_reason: str | None = None


class IncidentFeedItemDetail(BaseModel):
    """Part of an answer."""

    model_config = _RESPONSE
    severity: str | None = None
    title: str | None = None
    reporter_email: str | None = None
    person_ids: list[int] | None = None
    escalate_rule_id: str | None = None
    layer_idx: int | None = None
    type: str | None = None
    emails: list[str] | None = None
    escalate_rule_name: str | None = None
    assigned_at: int | None = None
    id: str | None = None
    to: list[int] | None = None
    rid: str | None = None
    msg_id: str | None = None
    fire_type: str | None = None
    by: str | None = None
    persons: list[NotifyPerson] | None = None
    chats: list[NotifyChat] | None = None
    robots: list[NotifyRobot] | None = None
    threshold: int | None = None
    minutes: int | None = None
    snoozedBefore: int | None = None
    progress: str | None = None
    comment: str | None = None
    mute_reply: bool | None = None
    from_: str | None = Field(None, alias="from")
    reason: str | None = None
    source_incidents: list[IncidentShort] | None = None
    target_incident: IncidentShort | None = None
    owner_id: int | None = None
    remove_source_incidents: bool | None = None
    source_responders: list[int] | None = None
    field_name: str | None = None
    max_changes: int | None = None
    in_mins: int | None = None
    mute_mins: int | None = None
    integration_id: int | None = None
    integration_name: str | None = None
    chat_id: str | None = None
    chat_name: str | None = None
    plugin_type: str | None = None
    share_link: str | None = None


class IncidentFeedItem(BaseModel):
    """Part of an answer."""

    model_config = _RESPONSE
    ref_id: str | None = None
    type: str | None = None
    detail: IncidentFeedItemDetail | None = None
    account_id: int | None = None
    creator_id: int | None = None
    deleted_at: int | None = None
    created_at: int | None = None
    updated_at: int | None = None


class IncidentFeedResponse(BaseModel):
    """The ``data`` of the answer to POST /incident/feed."""

    model_config = _RESPONSE
    has_next_page: bool | None = None
    items: list[IncidentFeedItem] | None = None


class IncidentPastListRequest(BaseModel):
    """Request body of POST /incident/past/list."""

    model_config = _REQUEST
    incident_id: Annotated[str, Field(pattern="^[0-9a-fA-F]{24}$")]
    limit: Annotated[int, Field(ge=0, le=100), not_bool] | None = None


class PastIncidentItem(BaseModel):
    """Part of an answer."""

    model_config = _RESPONSE
    incident_id: str | None = None
    account_id: int | None = None
    channel_id: int | None = None
    integration_id: int | None = None
    integration_ids: list[int] | None = None
    integration_types: list[str] | None = None
    dedup_key: str | None = None
    equals_md5: str | None = None
    start_time: int | None = None
    end_time: int | None = None
    last_time: int | None = None
    ack_time: int | None = None
    close_time: int | None = None
    creator_id: int | None = None
    closer_id: int | None = None
    owner_id: int | None = None
    incident_status: str | None = None
    incident_severity: str | None = None
    progress: str | None = None
    title: str | None = None
    description: str | None = None
    ai_summary: str | None = None
    impact: str | None = None
    root_cause: str | None = None
    resolution: str | None = None
    num: str | None = None
    frequency: str | None = None
    deleted_at: int | None = None
    created_at: int | None = None
    updated_at: int | None = None
    snoozed_before: int | None = None
    group_method: str | None = None
    ever_muted: bool | None = None
    labels: dict[str, str] | None = None
    fields_: dict[str, Any] | None = Field(None, alias="fields")
    assigned_to: AssignedTo | None = None
    reporter_email: str | None = None
    alert_cnt: int | None = None
    active_alert_cnt: int | None = None
    alert_event_cnt: int | None = None
    alerts: list[AlertInfo] | None = None
    closer: PersonShort | None = None
    creator: PersonShort | None = None
    owner: PersonShort | None = None
    responders: list[Responder] | None = None
    account_name: str | None = None
    account_locale: str | None = None
    account_time_zone: str | None = None
    channel_name: str | None = None
    channel_status: str | None = None
    detail_url: str | None = None
    silence_url: str | None = None
    links: list[LinkItem] | None = None
    integration_type: str | None = None
    post_mortem_id: str | None = None
    images: list[Image] | None = None
    manual_overrides: list[str] | None = None
    data_source_id: int | None = None
    data_source_ids: list[int] | None = None
    data_source_type: str | None = None
    data_source_types: list[str] | None = None
    score: float | None = None


class IncidentPastListResponse(BaseModel):
    """The ``data`` of the answer to POST /incident/past/list."""

    model_config = _RESPONSE
    items: list[PastIncidentItem] | None = None


class IncidentResponderAddRequestNotify(BaseModel):
    """Part of a request body."""

    model_config = _REQUEST
    follow_preference: bool | None = None
    personal_channels: list[str] | None = None
    template_id: Annotated[str, Field(pattern="^(?:[0-9a-fA-F]{24})?$")] | None = None


class IncidentCreateRequestAssignedTo(BaseModel):
    """Part of a request body."""

    model_config = _REQUEST
    person_ids: (
        Annotated[list[Annotated[int, not_bool]], Field(min_length=1, max_length=100)] | None
    ) = None
    escalate_rule_id: Annotated[str, Field(pattern="^(?:[0-9a-fA-F]{24})?$")] | None = None
    layer_idx: Annotated[int, not_bool] | None = None
    type: str | None = None
    emails: Annotated[list[str], Field(min_length=1, max_length=100)] | None = None
    notify: IncidentResponderAddRequestNotify | None = None


class IncidentCreateRequest(BaseModel):
    """Request body of POST /incident/create."""

    model_config = _REQUEST
    incident_severity: Literal["Info", "Warning", "Critical"]
    title: Annotated[str, Field(min_length=0, max_length=512)] | None = None
    description: Annotated[str, Field(min_length=0, max_length=1024)] | None = None
    channel_id: Annotated[int, not_bool] | None = None
    assigned_to: IncidentCreateRequestAssignedTo | None = None


class IncidentIdsRequest(BaseModel):
    """Request body of POST /incident/ack, POST /incident/unack, POST /incident/wake."""

    model_config = _REQUEST
    incident_ids: Annotated[
        list[Annotated[str, Field(pattern="^[0-9a-fA-F]{24}$")]],
        Field(min_length=1, max_length=100),
    ]


class IncidentResolveRequest(BaseModel):
    """Request body of POST /incident/resolve."""

    model_config = _REQUEST
    incident_ids: Annotated[
        list[Annotated[str, Field(pattern="^[0-9a-fA-F]{24}$")]],
        Field(min_length=1, max_length=100),
    ]
    root_cause: Annotated[str, Field(min_length=0, max_length=1024)] | None = None
    resolution: Annotated[str, Field(min_length=0, max_length=1024)] | None = None


class IncidentReopenRequest(BaseModel):
    """Request body of POST /incident/reopen."""

    model_config = _REQUEST
    incident_ids: Annotated[
        list[Annotated[str, Field(pattern="^[0-9a-fA-F]{24}$")]],
        Field(min_length=1, max_length=100),
    ]
    reason: Annotated[str, Field(min_length=0, max_length=1024)] | None = None


class IncidentSnoozeRequest(BaseModel):
    """Request body of POST /incident/snooze."""

    model_config = _REQUEST
    incident_ids: Annotated[
        list[Annotated[str, Field(pattern="^[0-9a-fA-F]{24}$")]],
        Field(min_length=0, max_length=100),
    ]
    minutes: Annotated[int, Field(ge=1, le=1440), not_bool]


class IncidentMergeRequest(BaseModel):
    """Request body of POST /incident/merge."""

    model_config = _REQUEST
    source_incident_ids: Annotated[
        list[Annotated[str, Field(pattern="^[0-9a-fA-F]{24}$")]],
        Field(min_length=1, max_length=100),
    ]
    target_incident_id: Annotated[str, Field(pattern="^[0-9a-fA-F]{24}$")]
    title: Annotated[str, Field(min_length=0, max_length=512)] | None = None
    comment: Annotated[str, Field(min_length=0, max_length=1024)] | None = None
    owner_id: Annotated[int, not_bool] | None = None
    remove_source_incidents: bool | None = None


class IncidentResetRequest(BaseModel):
    """Request body of POST /incident/reset."""

    model_config = _REQUEST
    incident_id: Annotated[str, Field(pattern="^[0-9a-fA-F]{24}$")]
    title: Annotated[str, Field(min_length=3, max_length=200)] | None = None
    description: Annotated[str, Field(min_length=3, max_length=6144)] | None = None
    impact: Annotated[str, Field(min_length=3, max_length=6144)] | None = None
    root_cause: Annotated[str, Field(min_length=3, max_length=6144)] | None = None
    resolution: Annotated[str, Field(min_length=3, max_length=6144)] | None = None
    incident_severity: Literal["Info", "Warning", "Critical"] | None = None


class IncidentRemoveRequest(BaseModel):
    """Request body of POST /incident/remove."""

    model_config = _REQUEST
    incident_ids: Annotated[
        list[Annotated[str, Field(pattern="^[0-9a-fA-F]{24}$")]],
        Field(min_length=0, max_length=100),
    ]


class IncidentCommentRequest(BaseModel):
    """Request body of POST /incident/comment."""

    model_config = _REQUEST
    incident_ids: Annotated[
        list[Annotated[str, Field(pattern="^[0-9a-fA-F]{24}$")]],
        Field(min_length=1, max_length=100),
    ]
    comment: Annotated[str, Field(min_length=0, max_length=1024)] | None = None
    mute_reply: bool | None = None


class AssignedToInput(BaseModel):
    """Part of a request body."""

    model_config = _REQUEST
    person_ids: (
        Annotated[list[Annotated[int, not_bool]], Field(min_length=1, max_length=100)] | None
    ) = None
    escalate_rule_id: Annotated[str, Field(pattern="^(?:[0-9a-fA-F]{24})?$")] | None = None
    layer_idx: Annotated[int, not_bool] | None = None
    type: Literal["assign", "reassign", "escalate", "reopen"] | None = None
    emails: Annotated[list[str], Field(min_length=1, max_length=100)] | None = None
    escalate_rule_name: str | None = None
    assigned_at: Annotated[int, not_bool, unix_seconds] | None = None
    id: str | None = None


class IncidentAssignRequest(BaseModel):
    """Request body of POST /incident/assign."""

    model_config = _REQUEST
    incident_id: Annotated[str, Field(pattern="^(?:[0-9a-fA-F]{24})?$")] | None = None
    incident_ids: (
        Annotated[
            list[Annotated[str, Field(pattern="^[0-9a-fA-F]{24}$")]],
            Field(min_length=1, max_length=100),
        ]
        | None
    ) = None
    assigned_to: AssignedToInput


class IncidentResponderAddRequest(BaseModel):
    """Request body of POST /incident/responder/add."""

    model_config = _REQUEST
    incident_id: Annotated[str, Field(pattern="^[0-9a-fA-F]{24}$")]
    person_ids: list[Annotated[int, not_bool]]
    notify: IncidentResponderAddRequestNotify | None = None


class IncidentFieldResetRequest(BaseModel):
    """Request body of POST /incident/field/reset."""

    model_config = _REQUEST
    incident_id: Annotated[str, Field(pattern="^[0-9a-fA-F]{24}$")]
    field_name: str
    field_value: Any | None = None


class IncidentCustomActionDoRequest(BaseModel):
    """Request body of POST /incident/custom-action/do."""

    model_config = _REQUEST
    incident_id: Annotated[str, Field(pattern="^[0-9a-fA-F]{24}$")]
    integration_id: Annotated[int, not_bool]


class IncidentCustomActionDoResponse(BaseModel):
    """The ``data`` of the answer to POST /incident/custom-action/do."""

    model_config = _RESPONSE
    message: str | None = None


class IncidentSdpRequestListRequest(BaseModel):
    """Request body of POST /incident/sdp/request/list."""

    model_config = _REQUEST
    p: Annotated[int, Field(ge=0), not_bool] | None = None
    limit: Annotated[int, Field(ge=0, le=100), not_bool] | None = None
    search_after_ctx: str | None = None
    asc: bool | None = None
    channel_ids: list[Annotated[int, not_bool]] | None = None
    end_time: Annotated[int, Field(ge=0), not_bool, unix_seconds] | None = None
    incident_id: Annotated[str, Field(max_length=64, pattern="^(?:[0-9a-fA-F]{24})?$")] | None = (
        None
    )
    integration_id: Annotated[int, Field(ge=0), not_bool] | None = None
    request_id: Annotated[str, Field(max_length=64)] | None = None
    start_time: Annotated[int, Field(ge=0), not_bool, unix_seconds] | None = None
    status: Literal["success", "failed"] | None = None


class IncidentSdpRequestListResponseItems(BaseModel):
    """Part of an answer."""

    model_config = _RESPONSE
    channel_id: int | None = None
    channel_name: str | None = None
    created_at: int | None = None
    error_message: str | None = None
    incident_id: str | None = None
    incident_title: str | None = None
    integration_id: int | None = None
    request_id: str | None = None
    request_link: str | None = None
    status: str | None = None


class IncidentSdpRequestListResponse(BaseModel):
    """The ``data`` of the answer to POST /incident/sdp/request/list."""

    model_config = _RESPONSE
    has_next_page: bool | None = None
    items: list[IncidentSdpRequestListResponseItems] | None = None
    search_after_ctx: str | None = None
    total: int | None = None


class IncidentTitleResetRequest(BaseModel):
    """Request body of POST /incident/title/reset."""

    model_config = _REQUEST
    incident_id: Annotated[str, Field(pattern="^[0-9a-fA-F]{24}$")]
    title: str


class IncidentDescriptionResetRequest(BaseModel):
    """Request body of POST /incident/description/reset."""

    model_config = _REQUEST
    incident_id: Annotated[str, Field(pattern="^[0-9a-fA-F]{24}$")]
    description: str


class IncidentImpactResetRequest(BaseModel):
    """Request body of POST /incident/impact/reset."""

    model_config = _REQUEST
    incident_id: Annotated[str, Field(pattern="^[0-9a-fA-F]{24}$")]
    impact: str


class IncidentRootCauseResetRequest(BaseModel):
    """Request body of POST /incident/root-cause/reset."""

    model_config = _REQUEST
    incident_id: Annotated[str, Field(pattern="^[0-9a-fA-F]{24}$")]
    root_cause: str


class IncidentResolutionResetRequest(BaseModel):
    """Request body of POST /incident/resolution/reset."""

    model_config = _REQUEST
    incident_id: Annotated[str, Field(pattern="^[0-9a-fA-F]{24}$")]
    resolution: str


class IncidentListByCardRequest(BaseModel):
    """Request body of POST /incident/list-by-card."""

    model_config = _REQUEST
    view_id: str
    asc: bool | None = None
    progress: str | None = None
    title: str | None = None
    channel_ids: list[Annotated[int, not_bool]] | None = None
    responder_ids: list[Annotated[int, not_bool]] | None = None
    acker_ids: list[Annotated[int, not_bool]] | None = None
    creator_ids: list[Annotated[int, not_bool]] | None = None
    incident_ids: list[Annotated[str, Field(pattern="^[0-9a-fA-F]{24}$")]] | None = None
    start_time: Annotated[int, not_bool]
    end_time: Annotated[int, not_bool]
    range_by: str | None = None
    incident_severity: (
        Annotated[str, Field(pattern="^(Critical|Warning|Info)(,(Critical|Warning|Info))*$")] | None
    ) = None
    is_related: bool | None = None
    is_snoozed: bool | None = None
    is_my_team: bool | None = None
    labels: dict[str, list[str]] | None = None


class IncidentListByCardResponseItems(BaseModel):
    """Part of an answer."""

    model_config = _RESPONSE
    title: str | None = None
    total: int | None = None
    incident_severity: str | None = None
    incident_ids: list[str] | None = None


class IncidentListByCardResponse(BaseModel):
    """The ``data`` of the answer to POST /incident/list-by-card."""

    model_config = _RESPONSE
    items: list[IncidentListByCardResponseItems] | None = None


class IncidentSeverityResetRequest(BaseModel):
    """Request body of POST /incident/severity/reset."""

    model_config = _REQUEST
    incident_id: Annotated[str, Field(pattern="^[0-9a-fA-F]{24}$")]
    incident_severity: Literal["Critical", "Warning", "Info"]


class IncidentExternalCreateRequest(BaseModel):
    """Request body of POST /incident/external-create."""

    model_config = _REQUEST
    token: str
    title: str
    description: str
    reporter_email: str
    reporter_company: str | None = None
    captcha_verify_param: str


class IncidentExternalCreateResponse(BaseModel):
    """The ``data`` of the answer to POST /incident/external-create."""

    model_config = _RESPONSE
    incident_id: str | None = None
