"""Request and response models of the schedules area."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, RootModel

_REQUEST = ConfigDict(extra="forbid", populate_by_name=True, defer_build=True)
_RESPONSE = ConfigDict(extra="allow", populate_by_name=True, defer_build=True)


class ScheduleMember(BaseModel):
    """Part of a request (ScheduleGroup)."""

    model_config = _REQUEST
    role_id: int
    person_ids: list[int]


class ScheduleGroup(BaseModel):
    """Part of a request (ScheduleLayer)."""

    model_config = _REQUEST
    group_name: str
    name: str
    members: list[ScheduleMember]
    start: int
    end: int


class ScheduleRestrictPeriod(BaseModel):
    """Part of a request (ScheduleLayer)."""

    model_config = _REQUEST
    restrict_start: int
    restrict_end: int


class ScheduleDayMask(BaseModel):
    """Part of a request (ScheduleLayer)."""

    model_config = _REQUEST
    repeat: list[int] | None = None


class ScheduleLayer(BaseModel):
    """Part of a request (ScheduleCreateRequest)."""

    model_config = _REQUEST
    account_id: int
    name: str
    schedule_id: int
    hidden: int
    mode: Literal[0, 1]
    weight: int
    groups: list[ScheduleGroup]
    rotation_duration: int
    handoff_time: int
    enable_time: int
    expire_time: int
    restrict_mode: Literal[0, 1, 2]
    restrict_start: int
    restrict_end: int
    restrict_periods: list[ScheduleRestrictPeriod]
    day_mask: ScheduleDayMask
    create_at: int
    create_by: int
    update_at: int
    update_by: int
    layer_name: str | None = None
    fair_rotation: bool
    layer_start: int | None = None
    layer_end: int | None = None
    rotation_unit: Literal["hour", "day", "week", "month"]
    rotation_value: int
    mask_continuous_enabled: bool


class ScheduleFixedTimeNotifyInfo(BaseModel):
    """Part of a request (ScheduleNotify)."""

    model_config = _REQUEST
    cycle: str
    start: str


class ScheduleNotifyBy(BaseModel):
    """Part of a request (ScheduleNotify)."""

    model_config = _REQUEST
    follow_preference: bool
    personal_channels: list[str]


class ScheduleImNotifySettings(BaseModel):
    """Part of a request (ScheduleImNotify)."""

    model_config = _REQUEST
    token: str
    alias: str
    data_source_id: int
    chat_ids: list[str]
    verify_token: str
    sign_secret: str


class ScheduleImNotify(BaseModel):
    """Part of a request (ScheduleNotify)."""

    model_config = _REQUEST
    type: str
    settings: ScheduleImNotifySettings


class ScheduleNotify(BaseModel):
    """Part of a request (ScheduleCreateRequest)."""

    model_config = _REQUEST
    advance_in_time: int | None = None
    fixed_time: ScheduleFixedTimeNotifyInfo
    by: ScheduleNotifyBy
    im: dict[str, str] | None = None
    webhooks: list[ScheduleImNotify]


class ScheduleCreateRequest(BaseModel):
    """Request body of POST /schedule/create."""

    model_config = _REQUEST
    schedule_id: int | None = None
    schedule_name: Annotated[str, Field(min_length=0, max_length=40)] | None = None
    name: Annotated[str, Field(min_length=0, max_length=40)] | None = None
    description: Annotated[str, Field(min_length=0, max_length=500)] | None = None
    team_id: int | None = None
    layers: list[ScheduleLayer] | None = None
    notify: ScheduleNotify | None = None
    start: int | None = None
    end: int | None = None


class ScheduleCreateResponse(BaseModel):
    """The ``data`` of a POST /schedule/create answer."""

    model_config = _RESPONSE
    schedule_id: int | None = None


class ScheduleLayer2(BaseModel):
    """Part of a request (ScheduleUpdateRequest)."""

    model_config = _REQUEST
    account_id: int
    name: str
    schedule_id: int
    hidden: int
    mode: Literal[0, 1]
    weight: int
    groups: list[ScheduleGroup]
    rotation_duration: int
    handoff_time: int
    enable_time: int
    expire_time: int
    restrict_mode: Literal[0, 1, 2]
    restrict_start: int
    restrict_end: int
    restrict_periods: list[ScheduleRestrictPeriod]
    day_mask: ScheduleDayMask
    create_at: int
    create_by: int
    update_at: int
    update_by: int
    layer_name: str | None = None
    fair_rotation: bool
    layer_start: int | None = None
    layer_end: int | None = None
    rotation_unit: Literal["hour", "day", "week", "month"]
    rotation_value: int
    mask_continuous_enabled: bool


class ScheduleNotify2(BaseModel):
    """Part of a request (ScheduleUpdateRequest)."""

    model_config = _REQUEST
    advance_in_time: int | None = None
    fixed_time: ScheduleFixedTimeNotifyInfo
    by: ScheduleNotifyBy
    im: dict[str, str] | None = None
    webhooks: list[ScheduleImNotify]


class ScheduleUpdateRequest(BaseModel):
    """Request body of POST /schedule/update."""

    model_config = _REQUEST
    schedule_id: int | None = None
    schedule_name: Annotated[str, Field(min_length=0, max_length=40)] | None = None
    name: Annotated[str, Field(min_length=0, max_length=40)] | None = None
    description: Annotated[str, Field(min_length=0, max_length=500)] | None = None
    team_id: int | None = None
    layers: list[ScheduleLayer2] | None = None
    notify: ScheduleNotify2 | None = None
    start: int | None = None
    end: int | None = None


class ScheduleUpdateResponse(BaseModel):
    """The ``data`` of a POST /schedule/update answer."""

    model_config = _RESPONSE


class ScheduleLayer3(BaseModel):
    """Part of a request (SchedulePreviewRequest)."""

    model_config = _REQUEST
    account_id: int
    name: str
    schedule_id: int
    hidden: int
    mode: Literal[0, 1]
    weight: int
    groups: list[ScheduleGroup]
    rotation_duration: int
    handoff_time: int
    enable_time: int
    expire_time: int
    restrict_mode: Literal[0, 1, 2]
    restrict_start: int
    restrict_end: int
    restrict_periods: list[ScheduleRestrictPeriod]
    day_mask: ScheduleDayMask
    create_at: int
    create_by: int
    update_at: int
    update_by: int
    layer_name: str | None = None
    fair_rotation: bool
    layer_start: int | None = None
    layer_end: int | None = None
    rotation_unit: Literal["hour", "day", "week", "month"]
    rotation_value: int
    mask_continuous_enabled: bool


class ScheduleNotify3(BaseModel):
    """Part of a request (SchedulePreviewRequest)."""

    model_config = _REQUEST
    advance_in_time: int | None = None
    fixed_time: ScheduleFixedTimeNotifyInfo
    by: ScheduleNotifyBy
    im: dict[str, str] | None = None
    webhooks: list[ScheduleImNotify]


class SchedulePreviewRequest(BaseModel):
    """Request body of POST /schedule/preview."""

    model_config = _REQUEST
    schedule_id: int | None = None
    schedule_name: Annotated[str, Field(min_length=0, max_length=40)] | None = None
    name: Annotated[str, Field(min_length=0, max_length=40)] | None = None
    description: Annotated[str, Field(min_length=0, max_length=500)] | None = None
    team_id: int | None = None
    layers: list[ScheduleLayer3] | None = None
    notify: ScheduleNotify3 | None = None
    start: int | None = None
    end: int | None = None


class ScheduleMember2(BaseModel):
    """Part of a response (ScheduleGroup)."""

    model_config = _RESPONSE
    role_id: int | None = None
    person_ids: list[int] | None = None


class ScheduleGroup2(BaseModel):
    """Part of a response (ScheduleLayer)."""

    model_config = _RESPONSE
    group_name: str | None = None
    name: str | None = None
    members: list[ScheduleMember2] | None = None
    start: int | None = None
    end: int | None = None


class ScheduleRestrictPeriod2(BaseModel):
    """Part of a response (ScheduleLayer)."""

    model_config = _RESPONSE
    restrict_start: int | None = None
    restrict_end: int | None = None


class ScheduleDayMask2(BaseModel):
    """Part of a response (ScheduleLayer)."""

    model_config = _RESPONSE
    repeat: list[int] | None = None


class ScheduleLayer4(BaseModel):
    """Part of a response (SchedulePreviewResponse)."""

    model_config = _RESPONSE
    account_id: int | None = None
    name: str | None = None
    schedule_id: int | None = None
    hidden: int | None = None
    mode: int | None = None
    weight: int | None = None
    groups: list[ScheduleGroup2] | None = None
    rotation_duration: int | None = None
    handoff_time: int | None = None
    enable_time: int | None = None
    expire_time: int | None = None
    restrict_mode: int | None = None
    restrict_start: int | None = None
    restrict_end: int | None = None
    restrict_periods: list[ScheduleRestrictPeriod2] | None = None
    day_mask: ScheduleDayMask2 | None = None
    create_at: int | None = None
    create_by: int | None = None
    update_at: int | None = None
    update_by: int | None = None
    layer_name: str | None = None
    fair_rotation: bool | None = None
    layer_start: int | None = None
    layer_end: int | None = None
    rotation_unit: str | None = None
    rotation_value: int | None = None
    mask_continuous_enabled: bool | None = None


class ScheduleGroup3(BaseModel):
    """Part of a response (ScheduleCalculatedSchedule)."""

    model_config = _RESPONSE
    group_name: str | None = None
    name: str | None = None
    members: list[dict[str, Any]] | None = None
    start: int | None = None
    end: int | None = None


class ScheduleCalculatedSchedule(BaseModel):
    """Part of a response (ScheduleCalculatedLayer)."""

    model_config = _RESPONSE
    start: int | None = None
    end: int | None = None
    group: ScheduleGroup3 | None = None
    index: int | None = None


class ScheduleCalculatedLayer(BaseModel):
    """Part of a response (SchedulePreviewResponse)."""

    model_config = _RESPONSE
    layer_name: str | None = None
    name: str | None = None
    mode: int | None = None
    schedules: list[ScheduleCalculatedSchedule] | None = None


class ScheduleFixedTimeNotifyInfo2(BaseModel):
    """Part of a response (ScheduleNotify)."""

    model_config = _RESPONSE
    cycle: str | None = None
    start: str | None = None


class ScheduleNotifyBy2(BaseModel):
    """Part of a response (ScheduleNotify)."""

    model_config = _RESPONSE
    follow_preference: bool | None = None
    personal_channels: list[str] | None = None


class ScheduleImNotifySettings2(BaseModel):
    """Part of a response (ScheduleImNotify)."""

    model_config = _RESPONSE
    token: str | None = None
    alias: str | None = None
    data_source_id: int | None = None
    chat_ids: list[str] | None = None
    verify_token: str | None = None
    sign_secret: str | None = None


class ScheduleImNotify2(BaseModel):
    """Part of a response (ScheduleNotify)."""

    model_config = _RESPONSE
    type: str | None = None
    settings: ScheduleImNotifySettings2 | None = None


class ScheduleNotify4(BaseModel):
    """Part of a response (SchedulePreviewResponse)."""

    model_config = _RESPONSE
    advance_in_time: int | None = None
    fixed_time: ScheduleFixedTimeNotifyInfo2 | None = None
    by: ScheduleNotifyBy2 | None = None
    im: dict[str, str] | None = None
    webhooks: list[ScheduleImNotify2] | None = None


class ScheduleGroup4(BaseModel):
    """Part of a response (ScheduleOncallGroup)."""

    model_config = _RESPONSE
    group_name: str | None = None
    name: str | None = None
    members: list[ScheduleMember2] | None = None
    start: int | None = None
    end: int | None = None


class ScheduleOncallGroup(BaseModel):
    """Part of a response (SchedulePreviewResponse)."""

    model_config = _RESPONSE
    start: int | None = None
    end: int | None = None
    group: ScheduleGroup4 | None = None
    update_at: int | None = None
    weight: int | None = None
    index: int | None = None


class SchedulePreviewResponse(BaseModel):
    """The ``data`` of a POST /schedule/preview answer."""

    model_config = _RESPONSE
    id: int | None = None
    name: str | None = None
    account_id: int | None = None
    group_id: int | None = None
    disabled: int | None = None
    create_at: int | None = None
    create_by: int | None = None
    update_at: int | None = None
    update_by: int | None = None
    layers: list[ScheduleLayer4] | None = None
    field: str | None = None
    schedule_layers: list[ScheduleCalculatedLayer] | None = None
    final_schedule: ScheduleCalculatedLayer | None = None
    start: int | None = None
    end: int | None = None
    notify: ScheduleNotify4 | None = None
    schedule_id: int | None = None
    schedule_name: str | None = None
    team_id: int | None = None
    description: str | None = None
    layer_schedules: list[ScheduleCalculatedLayer] | None = None
    status: int | None = None
    cur_oncall: ScheduleOncallGroup | None = None
    next_oncall: ScheduleOncallGroup | None = None


class ScheduleDeleteRequest(BaseModel):
    """Request body of POST /schedule/delete."""

    model_config = _REQUEST
    schedule_ids: list[int]


class ScheduleDeleteResponse(BaseModel):
    """The ``data`` of a POST /schedule/delete answer."""

    model_config = _RESPONSE


class ScheduleInfoRequest(BaseModel):
    """Request body of POST /schedule/info."""

    model_config = _REQUEST
    schedule_id: int
    start: int
    end: int


class ScheduleLayer5(BaseModel):
    """Part of a response (ScheduleInfoResponse)."""

    model_config = _RESPONSE
    account_id: int | None = None
    name: str | None = None
    schedule_id: int | None = None
    hidden: int | None = None
    mode: int | None = None
    weight: int | None = None
    groups: list[ScheduleGroup2] | None = None
    rotation_duration: int | None = None
    handoff_time: int | None = None
    enable_time: int | None = None
    expire_time: int | None = None
    restrict_mode: int | None = None
    restrict_start: int | None = None
    restrict_end: int | None = None
    restrict_periods: list[ScheduleRestrictPeriod2] | None = None
    day_mask: ScheduleDayMask2 | None = None
    create_at: int | None = None
    create_by: int | None = None
    update_at: int | None = None
    update_by: int | None = None
    layer_name: str | None = None
    fair_rotation: bool | None = None
    layer_start: int | None = None
    layer_end: int | None = None
    rotation_unit: str | None = None
    rotation_value: int | None = None
    mask_continuous_enabled: bool | None = None


class ScheduleCalculatedLayer2(BaseModel):
    """Part of a response (ScheduleInfoResponse)."""

    model_config = _RESPONSE
    layer_name: str | None = None
    name: str | None = None
    mode: int | None = None
    schedules: list[ScheduleCalculatedSchedule] | None = None


class ScheduleNotify5(BaseModel):
    """Part of a response (ScheduleInfoResponse)."""

    model_config = _RESPONSE
    advance_in_time: int | None = None
    fixed_time: ScheduleFixedTimeNotifyInfo2 | None = None
    by: ScheduleNotifyBy2 | None = None
    im: dict[str, str] | None = None
    webhooks: list[ScheduleImNotify2] | None = None


class ScheduleOncallGroup2(BaseModel):
    """Part of a response (ScheduleInfoResponse)."""

    model_config = _RESPONSE
    start: int | None = None
    end: int | None = None
    group: ScheduleGroup4 | None = None
    update_at: int | None = None
    weight: int | None = None
    index: int | None = None


class ScheduleInfoResponse(BaseModel):
    """The ``data`` of a POST /schedule/info answer."""

    model_config = _RESPONSE
    id: int | None = None
    name: str | None = None
    account_id: int | None = None
    group_id: int | None = None
    disabled: int | None = None
    create_at: int | None = None
    create_by: int | None = None
    update_at: int | None = None
    update_by: int | None = None
    layers: list[ScheduleLayer5] | None = None
    field: str | None = None
    schedule_layers: list[ScheduleCalculatedLayer2] | None = None
    final_schedule: ScheduleCalculatedLayer2 | None = None
    start: int | None = None
    end: int | None = None
    notify: ScheduleNotify5 | None = None
    schedule_id: int | None = None
    schedule_name: str | None = None
    team_id: int | None = None
    description: str | None = None
    layer_schedules: list[ScheduleCalculatedLayer2] | None = None
    status: int | None = None
    cur_oncall: ScheduleOncallGroup2 | None = None
    next_oncall: ScheduleOncallGroup2 | None = None


class ScheduleListRequest(BaseModel):
    """Request body of POST /schedule/list."""

    model_config = _REQUEST
    query: str | None = None
    p: int | None = None
    limit: Annotated[int, Field(le=100)] | None = None
    is_my_team: bool | None = None
    is_my_manage: bool | None = None
    team_ids: list[int] | None = None
    start: int | None = None
    end: int | None = None


class ScheduleGroup5(BaseModel):
    """Part of a response (ScheduleLayer)."""

    model_config = _RESPONSE
    group_name: str | None = None
    name: str | None = None
    members: list[dict[str, Any]] | None = None
    start: int | None = None
    end: int | None = None


class ScheduleLayer6(BaseModel):
    """Part of a response (ScheduleItem)."""

    model_config = _RESPONSE
    account_id: int | None = None
    name: str | None = None
    schedule_id: int | None = None
    hidden: int | None = None
    mode: int | None = None
    weight: int | None = None
    groups: list[ScheduleGroup5] | None = None
    rotation_duration: int | None = None
    handoff_time: int | None = None
    enable_time: int | None = None
    expire_time: int | None = None
    restrict_mode: int | None = None
    restrict_start: int | None = None
    restrict_end: int | None = None
    restrict_periods: list[ScheduleRestrictPeriod2] | None = None
    day_mask: ScheduleDayMask2 | None = None
    create_at: int | None = None
    create_by: int | None = None
    update_at: int | None = None
    update_by: int | None = None
    layer_name: str | None = None
    fair_rotation: bool | None = None
    layer_start: int | None = None
    layer_end: int | None = None
    rotation_unit: str | None = None
    rotation_value: int | None = None
    mask_continuous_enabled: bool | None = None


class ScheduleCalculatedSchedule2(BaseModel):
    """Part of a response (ScheduleCalculatedLayer)."""

    model_config = _RESPONSE
    start: int | None = None
    end: int | None = None
    group: dict[str, Any] | None = None
    index: int | None = None


class ScheduleCalculatedLayer3(BaseModel):
    """Part of a response (ScheduleItem)."""

    model_config = _RESPONSE
    layer_name: str | None = None
    name: str | None = None
    mode: int | None = None
    schedules: list[ScheduleCalculatedSchedule2] | None = None


class ScheduleImNotify3(BaseModel):
    """Part of a response (ScheduleNotify)."""

    model_config = _RESPONSE
    type: str | None = None
    settings: dict[str, Any] | None = None


class ScheduleNotify6(BaseModel):
    """Part of a response (ScheduleItem)."""

    model_config = _RESPONSE
    advance_in_time: int | None = None
    fixed_time: ScheduleFixedTimeNotifyInfo2 | None = None
    by: ScheduleNotifyBy2 | None = None
    im: dict[str, str] | None = None
    webhooks: list[ScheduleImNotify3] | None = None


class ScheduleGroup6(BaseModel):
    """Part of a response (ScheduleOncallGroup)."""

    model_config = _RESPONSE
    group_name: str | None = None
    name: str | None = None
    members: list[dict[str, Any]] | None = None
    start: int | None = None
    end: int | None = None


class ScheduleOncallGroup3(BaseModel):
    """Part of a response (ScheduleItem)."""

    model_config = _RESPONSE
    start: int | None = None
    end: int | None = None
    group: ScheduleGroup6 | None = None
    update_at: int | None = None
    weight: int | None = None
    index: int | None = None


class ScheduleItem(BaseModel):
    """Part of a response (ScheduleListResponse)."""

    model_config = _RESPONSE
    id: int | None = None
    name: str | None = None
    account_id: int | None = None
    group_id: int | None = None
    disabled: int | None = None
    create_at: int | None = None
    create_by: int | None = None
    update_at: int | None = None
    update_by: int | None = None
    layers: list[ScheduleLayer6] | None = None
    field: str | None = None
    schedule_layers: list[ScheduleCalculatedLayer3] | None = None
    final_schedule: ScheduleCalculatedLayer3 | None = None
    start: int | None = None
    end: int | None = None
    notify: ScheduleNotify6 | None = None
    schedule_id: int | None = None
    schedule_name: str | None = None
    team_id: int | None = None
    description: str | None = None
    layer_schedules: list[ScheduleCalculatedLayer3] | None = None
    status: int | None = None
    cur_oncall: ScheduleOncallGroup3 | None = None
    next_oncall: ScheduleOncallGroup3 | None = None


class ScheduleListResponse(BaseModel):
    """The ``data`` of a POST /schedule/list answer."""

    model_config = _RESPONSE
    items: list[ScheduleItem] | None = None
    total: int | None = None


class ScheduleSelfRequest(BaseModel):
    """Request body of POST /schedule/self."""

    model_config = _REQUEST
    start: int | None = None
    end: int | None = None


class ScheduleItem2(BaseModel):
    """Part of a response (ScheduleSelfResponse)."""

    model_config = _RESPONSE
    id: int | None = None
    name: str | None = None
    account_id: int | None = None
    group_id: int | None = None
    disabled: int | None = None
    create_at: int | None = None
    create_by: int | None = None
    update_at: int | None = None
    update_by: int | None = None
    layers: list[ScheduleLayer6] | None = None
    field: str | None = None
    schedule_layers: list[ScheduleCalculatedLayer3] | None = None
    final_schedule: ScheduleCalculatedLayer3 | None = None
    start: int | None = None
    end: int | None = None
    notify: ScheduleNotify6 | None = None
    schedule_id: int | None = None
    schedule_name: str | None = None
    team_id: int | None = None
    description: str | None = None
    layer_schedules: list[ScheduleCalculatedLayer3] | None = None
    status: int | None = None
    cur_oncall: ScheduleOncallGroup3 | None = None
    next_oncall: ScheduleOncallGroup3 | None = None


class ScheduleSelfResponse(BaseModel):
    """The ``data`` of a POST /schedule/self answer."""

    model_config = _RESPONSE
    items: list[ScheduleItem2] | None = None


class ScheduleInfosRequest(BaseModel):
    """Request body of POST /schedule/infos."""

    model_config = _REQUEST
    schedule_ids: list[int]


class ScheduleItem3(BaseModel):
    """Part of a response (ScheduleInfosResponse)."""

    model_config = _RESPONSE
    id: int | None = None
    name: str | None = None
    account_id: int | None = None
    group_id: int | None = None
    disabled: int | None = None
    create_at: int | None = None
    create_by: int | None = None
    update_at: int | None = None
    update_by: int | None = None
    layers: list[ScheduleLayer6] | None = None
    field: str | None = None
    schedule_layers: list[ScheduleCalculatedLayer3] | None = None
    final_schedule: ScheduleCalculatedLayer3 | None = None
    start: int | None = None
    end: int | None = None
    notify: ScheduleNotify6 | None = None
    schedule_id: int | None = None
    schedule_name: str | None = None
    team_id: int | None = None
    description: str | None = None
    layer_schedules: list[ScheduleCalculatedLayer3] | None = None
    status: int | None = None
    cur_oncall: ScheduleOncallGroup3 | None = None
    next_oncall: ScheduleOncallGroup3 | None = None


class ScheduleInfosResponse(BaseModel):
    """The ``data`` of a POST /schedule/infos answer."""

    model_config = _RESPONSE
    items: list[ScheduleItem3] | None = None


class ScheduleEnableRequest(BaseModel):
    """Request body of POST /schedule/enable."""

    model_config = _REQUEST
    schedule_ids: list[int]


class ScheduleEnableResponse(BaseModel):
    """The ``data`` of a POST /schedule/enable answer."""

    model_config = _RESPONSE


class ScheduleDisableRequest(BaseModel):
    """Request body of POST /schedule/disable."""

    model_config = _REQUEST
    schedule_ids: list[int]


class ScheduleDisableResponse(BaseModel):
    """The ``data`` of a POST /schedule/disable answer."""

    model_config = _RESPONSE


class OncallRolesRequest(BaseModel):
    """Request body of GET /oncall/roles."""

    model_config = _REQUEST


class OncallRolesResponseItem(BaseModel):
    """Part of a response (OncallRolesResponse)."""

    model_config = _RESPONSE
    id: int | None = None
    name: str | None = None
    account_id: int | None = None
    create_at: int | None = None
    create_by: int | None = None
    update_at: int | None = None
    update_by: int | None = None


class OncallRolesResponse(RootModel[list[OncallRolesResponseItem]]):
    """The ``data`` of a GET /oncall/roles answer."""

    model_config = ConfigDict(defer_build=True)
