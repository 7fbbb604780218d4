"""Request and response models of the schedules area."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, RootModel

_REQUEST = ConfigDict(extra="forbid", populate_by_name=True, defer_build=True)
_RESPONSE = ConfigDict(extra="allow", populate_by_name=True, defer_build=True)


class ScheduleMember(BaseModel):
    """Part of a request body."""

    model_config = _REQUEST
    role_id: int
    person_ids: list[int] | None


class ScheduleGroup(BaseModel):
    """Part of a request body."""

    model_config = _REQUEST
    group_name: str
    name: str | None = None
    members: list[ScheduleMember] | None
    start: int | None = None
    end: int | None = None


class ScheduleRestrictPeriod(BaseModel):
    """Part of a request body."""

    model_config = _REQUEST
    restrict_start: int
    restrict_end: int


class ScheduleDayMask(BaseModel):
    """Part of a request body."""

    model_config = _REQUEST
    repeat: list[int] | None = None


class ScheduleLayer(BaseModel):
    """Part of a request body."""

    model_config = _REQUEST
    account_id: int | None = None
    name: str | None = None
    schedule_id: int | None = None
    hidden: int
    mode: Literal[0, 1]
    weight: int
    groups: list[ScheduleGroup] | None
    rotation_duration: int
    handoff_time: int
    enable_time: int
    expire_time: int
    restrict_mode: Literal[0, 1, 2]
    restrict_start: int
    restrict_end: int
    restrict_periods: list[ScheduleRestrictPeriod] | None
    day_mask: ScheduleDayMask | None
    create_at: int | None = None
    create_by: int | None = None
    update_at: int | None = None
    update_by: int | None = None
    layer_name: str | None = None
    fair_rotation: bool
    layer_start: int | None = None
    layer_end: int | None = None
    rotation_unit: Literal["hour", "day", "week", "month"]
    rotation_value: int
    mask_continuous_enabled: bool


class ScheduleFixedTimeNotifyInfo(BaseModel):
    """Part of a request body."""

    model_config = _REQUEST
    cycle: str
    start: str | None = None


class ScheduleNotifyBy(BaseModel):
    """Part of a request body."""

    model_config = _REQUEST
    follow_preference: bool
    personal_channels: list[str] | None


class ScheduleImNotifySettings(BaseModel):
    """Part of a request body."""

    model_config = _REQUEST
    token: str
    alias: str
    data_source_id: int
    chat_ids: list[str] | None
    verify_token: str
    sign_secret: str


class ScheduleImNotify(BaseModel):
    """Part of a request body."""

    model_config = _REQUEST
    type: str
    settings: ScheduleImNotifySettings | None


class ScheduleNotify(BaseModel):
    """Part of a request body."""

    model_config = _REQUEST
    advance_in_time: int | None = None
    fixed_time: ScheduleFixedTimeNotifyInfo | None
    by: ScheduleNotifyBy | None
    im: dict[str, str] | None = None
    webhooks: list[ScheduleImNotify] | None


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
    status: int | None = None


class ScheduleCreateResponse(BaseModel):
    """The ``data`` of a POST /schedule/create answer."""

    model_config = _RESPONSE
    schedule_id: int | None = None


class ScheduleUpdateRequest(BaseModel):
    """Request body of POST /schedule/update."""

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


class ScheduleUpdateResponse(BaseModel):
    """The ``data`` of a POST /schedule/update answer."""

    model_config = _RESPONSE


class SchedulePreviewRequest(BaseModel):
    """Request body of POST /schedule/preview."""

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


class SchedulePreviewScheduleMember(BaseModel):
    """Part of an answer."""

    model_config = _RESPONSE
    role_id: int | None = None
    person_ids: list[int] | None = None


class SchedulePreviewScheduleGroup(BaseModel):
    """Part of an answer."""

    model_config = _RESPONSE
    group_name: str | None = None
    name: str | None = None
    members: list[SchedulePreviewScheduleMember] | None = None
    start: int | None = None
    end: int | None = None


class SchedulePreviewScheduleRestrictPeriod(BaseModel):
    """Part of an answer."""

    model_config = _RESPONSE
    restrict_start: int | None = None
    restrict_end: int | None = None


class SchedulePreviewScheduleDayMask(BaseModel):
    """Part of an answer."""

    model_config = _RESPONSE
    repeat: list[int] | None = None


class SchedulePreviewScheduleLayer(BaseModel):
    """Part of an answer."""

    model_config = _RESPONSE
    account_id: int | None = None
    name: str | None = None
    schedule_id: int | None = None
    hidden: int | None = None
    mode: int | None = None
    weight: int | None = None
    groups: list[SchedulePreviewScheduleGroup] | None = None
    rotation_duration: int | None = None
    handoff_time: int | None = None
    enable_time: int | None = None
    expire_time: int | None = None
    restrict_mode: int | None = None
    restrict_start: int | None = None
    restrict_end: int | None = None
    restrict_periods: list[SchedulePreviewScheduleRestrictPeriod] | None = None
    day_mask: SchedulePreviewScheduleDayMask | None = None
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


class SchedulePreviewScheduleGroup2(BaseModel):
    """Part of an answer."""

    model_config = _RESPONSE
    group_name: str | None = None
    name: str | None = None
    members: list[dict[str, Any]] | None = None
    start: int | None = None
    end: int | None = None


class ScheduleCalculatedSchedule(BaseModel):
    """Part of an answer."""

    model_config = _RESPONSE
    start: int | None = None
    end: int | None = None
    group: SchedulePreviewScheduleGroup2 | None = None
    index: int | None = None


class ScheduleCalculatedLayer(BaseModel):
    """Part of an answer."""

    model_config = _RESPONSE
    layer_name: str | None = None
    name: str | None = None
    mode: int | None = None
    schedules: list[ScheduleCalculatedSchedule] | None = None


class SchedulePreviewScheduleGroup3(BaseModel):
    """Part of an answer."""

    model_config = _RESPONSE
    group_name: str | None = None
    name: str | None = None
    members: list[dict[str, Any]] | None = None
    start: int | None = None
    end: int | None = None


class SchedulePreviewScheduleCalculatedSchedule(BaseModel):
    """Part of an answer."""

    model_config = _RESPONSE
    start: int | None = None
    end: int | None = None
    group: SchedulePreviewScheduleGroup3 | None = None
    index: int | None = None


class SchedulePreviewScheduleCalculatedLayer(BaseModel):
    """Part of an answer."""

    model_config = _RESPONSE
    layer_name: str | None = None
    name: str | None = None
    mode: int | None = None
    schedules: list[SchedulePreviewScheduleCalculatedSchedule] | None = None


class SchedulePreviewScheduleFixedTimeNotifyInfo(BaseModel):
    """Part of an answer."""

    model_config = _RESPONSE
    cycle: str | None = None
    start: str | None = None


class SchedulePreviewScheduleNotifyBy(BaseModel):
    """Part of an answer."""

    model_config = _RESPONSE
    follow_preference: bool | None = None
    personal_channels: list[str] | None = None


class SchedulePreviewScheduleImNotifySettings(BaseModel):
    """Part of an answer."""

    model_config = _RESPONSE
    token: str | None = None
    alias: str | None = None
    data_source_id: int | None = None
    chat_ids: list[str] | None = None
    verify_token: str | None = None
    sign_secret: str | None = None


class SchedulePreviewScheduleImNotify(BaseModel):
    """Part of an answer."""

    model_config = _RESPONSE
    type: str | None = None
    settings: SchedulePreviewScheduleImNotifySettings | None = None


class SchedulePreviewScheduleNotify(BaseModel):
    """Part of an answer."""

    model_config = _RESPONSE
    advance_in_time: int | None = None
    fixed_time: SchedulePreviewScheduleFixedTimeNotifyInfo | None = None
    by: SchedulePreviewScheduleNotifyBy | None = None
    im: dict[str, str] | None = None
    webhooks: list[SchedulePreviewScheduleImNotify] | None = None


class SchedulePreviewScheduleGroup4(BaseModel):
    """Part of an answer."""

    model_config = _RESPONSE
    group_name: str | None = None
    name: str | None = None
    members: list[dict[str, Any]] | None = None
    start: int | None = None
    end: int | None = None


class SchedulePreviewScheduleCalculatedSchedule2(BaseModel):
    """Part of an answer."""

    model_config = _RESPONSE
    start: int | None = None
    end: int | None = None
    group: SchedulePreviewScheduleGroup4 | None = None
    index: int | None = None


class SchedulePreviewScheduleCalculatedLayer2(BaseModel):
    """Part of an answer."""

    model_config = _RESPONSE
    layer_name: str | None = None
    name: str | None = None
    mode: int | None = None
    schedules: list[SchedulePreviewScheduleCalculatedSchedule2] | None = None


class ScheduleOncallGroup(BaseModel):
    """Part of an answer."""

    model_config = _RESPONSE
    start: int | None = None
    end: int | None = None
    group: SchedulePreviewScheduleGroup | None = None
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
    layers: list[SchedulePreviewScheduleLayer] | None = None
    field: str | None = None
    schedule_layers: list[ScheduleCalculatedLayer] | None = None
    final_schedule: SchedulePreviewScheduleCalculatedLayer | None = None
    start: int | None = None
    end: int | None = None
    notify: SchedulePreviewScheduleNotify | None = None
    schedule_id: int | None = None
    schedule_name: str | None = None
    team_id: int | None = None
    description: str | None = None
    layer_schedules: list[SchedulePreviewScheduleCalculatedLayer2] | None = None
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


class ScheduleInfoScheduleMember(BaseModel):
    """Part of an answer."""

    model_config = _RESPONSE
    role_id: int | None = None
    person_ids: list[int] | None = None


class ScheduleInfoScheduleGroup(BaseModel):
    """Part of an answer."""

    model_config = _RESPONSE
    group_name: str | None = None
    name: str | None = None
    members: list[ScheduleInfoScheduleMember] | None = None
    start: int | None = None
    end: int | None = None


class ScheduleInfoScheduleRestrictPeriod(BaseModel):
    """Part of an answer."""

    model_config = _RESPONSE
    restrict_start: int | None = None
    restrict_end: int | None = None


class ScheduleInfoScheduleDayMask(BaseModel):
    """Part of an answer."""

    model_config = _RESPONSE
    repeat: list[int] | None = None


class ScheduleInfoScheduleLayer(BaseModel):
    """Part of an answer."""

    model_config = _RESPONSE
    account_id: int | None = None
    name: str | None = None
    schedule_id: int | None = None
    hidden: int | None = None
    mode: int | None = None
    weight: int | None = None
    groups: list[ScheduleInfoScheduleGroup] | None = None
    rotation_duration: int | None = None
    handoff_time: int | None = None
    enable_time: int | None = None
    expire_time: int | None = None
    restrict_mode: int | None = None
    restrict_start: int | None = None
    restrict_end: int | None = None
    restrict_periods: list[ScheduleInfoScheduleRestrictPeriod] | None = None
    day_mask: ScheduleInfoScheduleDayMask | None = None
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


class ScheduleInfoScheduleGroup2(BaseModel):
    """Part of an answer."""

    model_config = _RESPONSE
    group_name: str | None = None
    name: str | None = None
    members: list[dict[str, Any]] | None = None
    start: int | None = None
    end: int | None = None


class ScheduleInfoScheduleCalculatedSchedule(BaseModel):
    """Part of an answer."""

    model_config = _RESPONSE
    start: int | None = None
    end: int | None = None
    group: ScheduleInfoScheduleGroup2 | None = None
    index: int | None = None


class ScheduleInfoScheduleCalculatedLayer(BaseModel):
    """Part of an answer."""

    model_config = _RESPONSE
    layer_name: str | None = None
    name: str | None = None
    mode: int | None = None
    schedules: list[ScheduleInfoScheduleCalculatedSchedule] | None = None


class ScheduleInfoScheduleGroup3(BaseModel):
    """Part of an answer."""

    model_config = _RESPONSE
    group_name: str | None = None
    name: str | None = None
    members: list[dict[str, Any]] | None = None
    start: int | None = None
    end: int | None = None


class ScheduleInfoScheduleCalculatedSchedule2(BaseModel):
    """Part of an answer."""

    model_config = _RESPONSE
    start: int | None = None
    end: int | None = None
    group: ScheduleInfoScheduleGroup3 | None = None
    index: int | None = None


class ScheduleInfoScheduleCalculatedLayer2(BaseModel):
    """Part of an answer."""

    model_config = _RESPONSE
    layer_name: str | None = None
    name: str | None = None
    mode: int | None = None
    schedules: list[ScheduleInfoScheduleCalculatedSchedule2] | None = None


class ScheduleInfoScheduleFixedTimeNotifyInfo(BaseModel):
    """Part of an answer."""

    model_config = _RESPONSE
    cycle: str | None = None
    start: str | None = None


class ScheduleInfoScheduleNotifyBy(BaseModel):
    """Part of an answer."""

    model_config = _RESPONSE
    follow_preference: bool | None = None
    personal_channels: list[str] | None = None


class ScheduleInfoScheduleImNotifySettings(BaseModel):
    """Part of an answer."""

    model_config = _RESPONSE
    token: str | None = None
    alias: str | None = None
    data_source_id: int | None = None
    chat_ids: list[str] | None = None
    verify_token: str | None = None
    sign_secret: str | None = None


class ScheduleInfoScheduleImNotify(BaseModel):
    """Part of an answer."""

    model_config = _RESPONSE
    type: str | None = None
    settings: ScheduleInfoScheduleImNotifySettings | None = None


class ScheduleInfoScheduleNotify(BaseModel):
    """Part of an answer."""

    model_config = _RESPONSE
    advance_in_time: int | None = None
    fixed_time: ScheduleInfoScheduleFixedTimeNotifyInfo | None = None
    by: ScheduleInfoScheduleNotifyBy | None = None
    im: dict[str, str] | None = None
    webhooks: list[ScheduleInfoScheduleImNotify] | None = None


class ScheduleInfoScheduleGroup4(BaseModel):
    """Part of an answer."""

    model_config = _RESPONSE
    group_name: str | None = None
    name: str | None = None
    members: list[dict[str, Any]] | None = None
    start: int | None = None
    end: int | None = None


class ScheduleInfoScheduleCalculatedSchedule3(BaseModel):
    """Part of an answer."""

    model_config = _RESPONSE
    start: int | None = None
    end: int | None = None
    group: ScheduleInfoScheduleGroup4 | None = None
    index: int | None = None


class ScheduleInfoScheduleCalculatedLayer3(BaseModel):
    """Part of an answer."""

    model_config = _RESPONSE
    layer_name: str | None = None
    name: str | None = None
    mode: int | None = None
    schedules: list[ScheduleInfoScheduleCalculatedSchedule3] | None = None


class ScheduleInfoScheduleOncallGroup(BaseModel):
    """Part of an answer."""

    model_config = _RESPONSE
    start: int | None = None
    end: int | None = None
    group: ScheduleInfoScheduleGroup | None = None
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
    layers: list[ScheduleInfoScheduleLayer] | None = None
    field: str | None = None
    schedule_layers: list[ScheduleInfoScheduleCalculatedLayer] | None = None
    final_schedule: ScheduleInfoScheduleCalculatedLayer2 | None = None
    start: int | None = None
    end: int | None = None
    notify: ScheduleInfoScheduleNotify | None = None
    schedule_id: int | None = None
    schedule_name: str | None = None
    team_id: int | None = None
    description: str | None = None
    layer_schedules: list[ScheduleInfoScheduleCalculatedLayer3] | None = None
    status: int | None = None
    cur_oncall: ScheduleInfoScheduleOncallGroup | None = None
    next_oncall: ScheduleInfoScheduleOncallGroup | None = None


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


class ScheduleListScheduleGroup(BaseModel):
    """Part of an answer."""

    model_config = _RESPONSE
    group_name: str | None = None
    name: str | None = None
    members: list[dict[str, Any]] | None = None
    start: int | None = None
    end: int | None = None


class ScheduleListScheduleRestrictPeriod(BaseModel):
    """Part of an answer."""

    model_config = _RESPONSE
    restrict_start: int | None = None
    restrict_end: int | None = None


class ScheduleListScheduleDayMask(BaseModel):
    """Part of an answer."""

    model_config = _RESPONSE
    repeat: list[int] | None = None


class ScheduleListScheduleLayer(BaseModel):
    """Part of an answer."""

    model_config = _RESPONSE
    account_id: int | None = None
    name: str | None = None
    schedule_id: int | None = None
    hidden: int | None = None
    mode: int | None = None
    weight: int | None = None
    groups: list[ScheduleListScheduleGroup] | None = None
    rotation_duration: int | None = None
    handoff_time: int | None = None
    enable_time: int | None = None
    expire_time: int | None = None
    restrict_mode: int | None = None
    restrict_start: int | None = None
    restrict_end: int | None = None
    restrict_periods: list[ScheduleListScheduleRestrictPeriod] | None = None
    day_mask: ScheduleListScheduleDayMask | None = None
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


class ScheduleListScheduleCalculatedSchedule(BaseModel):
    """Part of an answer."""

    model_config = _RESPONSE
    start: int | None = None
    end: int | None = None
    group: dict[str, Any] | None = None
    index: int | None = None


class ScheduleListScheduleCalculatedLayer(BaseModel):
    """Part of an answer."""

    model_config = _RESPONSE
    layer_name: str | None = None
    name: str | None = None
    mode: int | None = None
    schedules: list[ScheduleListScheduleCalculatedSchedule] | None = None


class ScheduleListScheduleFixedTimeNotifyInfo(BaseModel):
    """Part of an answer."""

    model_config = _RESPONSE
    cycle: str | None = None
    start: str | None = None


class ScheduleListScheduleNotifyBy(BaseModel):
    """Part of an answer."""

    model_config = _RESPONSE
    follow_preference: bool | None = None
    personal_channels: list[str] | None = None


class ScheduleListScheduleImNotify(BaseModel):
    """Part of an answer."""

    model_config = _RESPONSE
    type: str | None = None
    settings: dict[str, Any] | None = None


class ScheduleListScheduleNotify(BaseModel):
    """Part of an answer."""

    model_config = _RESPONSE
    advance_in_time: int | None = None
    fixed_time: ScheduleListScheduleFixedTimeNotifyInfo | None = None
    by: ScheduleListScheduleNotifyBy | None = None
    im: dict[str, str] | None = None
    webhooks: list[ScheduleListScheduleImNotify] | None = None


class ScheduleListScheduleOncallGroup(BaseModel):
    """Part of an answer."""

    model_config = _RESPONSE
    start: int | None = None
    end: int | None = None
    group: ScheduleListScheduleGroup | None = None
    update_at: int | None = None
    weight: int | None = None
    index: int | None = None


class ScheduleItem(BaseModel):
    """Part of an answer."""

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
    layers: list[ScheduleListScheduleLayer] | None = None
    field: str | None = None
    schedule_layers: list[ScheduleListScheduleCalculatedLayer] | None = None
    final_schedule: ScheduleListScheduleCalculatedLayer | None = None
    start: int | None = None
    end: int | None = None
    notify: ScheduleListScheduleNotify | None = None
    schedule_id: int | None = None
    schedule_name: str | None = None
    team_id: int | None = None
    description: str | None = None
    layer_schedules: list[ScheduleListScheduleCalculatedLayer] | None = None
    status: int | None = None
    cur_oncall: ScheduleListScheduleOncallGroup | None = None
    next_oncall: ScheduleListScheduleOncallGroup | None = None


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


class ScheduleSelfScheduleGroup(BaseModel):
    """Part of an answer."""

    model_config = _RESPONSE
    group_name: str | None = None
    name: str | None = None
    members: list[dict[str, Any]] | None = None
    start: int | None = None
    end: int | None = None


class ScheduleSelfScheduleRestrictPeriod(BaseModel):
    """Part of an answer."""

    model_config = _RESPONSE
    restrict_start: int | None = None
    restrict_end: int | None = None


class ScheduleSelfScheduleDayMask(BaseModel):
    """Part of an answer."""

    model_config = _RESPONSE
    repeat: list[int] | None = None


class ScheduleSelfScheduleLayer(BaseModel):
    """Part of an answer."""

    model_config = _RESPONSE
    account_id: int | None = None
    name: str | None = None
    schedule_id: int | None = None
    hidden: int | None = None
    mode: int | None = None
    weight: int | None = None
    groups: list[ScheduleSelfScheduleGroup] | None = None
    rotation_duration: int | None = None
    handoff_time: int | None = None
    enable_time: int | None = None
    expire_time: int | None = None
    restrict_mode: int | None = None
    restrict_start: int | None = None
    restrict_end: int | None = None
    restrict_periods: list[ScheduleSelfScheduleRestrictPeriod] | None = None
    day_mask: ScheduleSelfScheduleDayMask | None = None
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


class ScheduleSelfScheduleCalculatedSchedule(BaseModel):
    """Part of an answer."""

    model_config = _RESPONSE
    start: int | None = None
    end: int | None = None
    group: dict[str, Any] | None = None
    index: int | None = None


class ScheduleSelfScheduleCalculatedLayer(BaseModel):
    """Part of an answer."""

    model_config = _RESPONSE
    layer_name: str | None = None
    name: str | None = None
    mode: int | None = None
    schedules: list[ScheduleSelfScheduleCalculatedSchedule] | None = None


class ScheduleSelfScheduleFixedTimeNotifyInfo(BaseModel):
    """Part of an answer."""

    model_config = _RESPONSE
    cycle: str | None = None
    start: str | None = None


class ScheduleSelfScheduleNotifyBy(BaseModel):
    """Part of an answer."""

    model_config = _RESPONSE
    follow_preference: bool | None = None
    personal_channels: list[str] | None = None


class ScheduleSelfScheduleImNotify(BaseModel):
    """Part of an answer."""

    model_config = _RESPONSE
    type: str | None = None
    settings: dict[str, Any] | None = None


class ScheduleSelfScheduleNotify(BaseModel):
    """Part of an answer."""

    model_config = _RESPONSE
    advance_in_time: int | None = None
    fixed_time: ScheduleSelfScheduleFixedTimeNotifyInfo | None = None
    by: ScheduleSelfScheduleNotifyBy | None = None
    im: dict[str, str] | None = None
    webhooks: list[ScheduleSelfScheduleImNotify] | None = None


class ScheduleSelfScheduleOncallGroup(BaseModel):
    """Part of an answer."""

    model_config = _RESPONSE
    start: int | None = None
    end: int | None = None
    group: ScheduleSelfScheduleGroup | None = None
    update_at: int | None = None
    weight: int | None = None
    index: int | None = None


class ScheduleSelfScheduleItem(BaseModel):
    """Part of an answer."""

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
    layers: list[ScheduleSelfScheduleLayer] | None = None
    field: str | None = None
    schedule_layers: list[ScheduleSelfScheduleCalculatedLayer] | None = None
    final_schedule: ScheduleSelfScheduleCalculatedLayer | None = None
    start: int | None = None
    end: int | None = None
    notify: ScheduleSelfScheduleNotify | None = None
    schedule_id: int | None = None
    schedule_name: str | None = None
    team_id: int | None = None
    description: str | None = None
    layer_schedules: list[ScheduleSelfScheduleCalculatedLayer] | None = None
    status: int | None = None
    cur_oncall: ScheduleSelfScheduleOncallGroup | None = None
    next_oncall: ScheduleSelfScheduleOncallGroup | None = None


class ScheduleSelfResponse(BaseModel):
    """The ``data`` of a POST /schedule/self answer."""

    model_config = _RESPONSE
    items: list[ScheduleSelfScheduleItem] | None = None


class ScheduleInfosRequest(BaseModel):
    """Request body of POST /schedule/infos."""

    model_config = _REQUEST
    schedule_ids: list[int]


class ScheduleInfosScheduleGroup(BaseModel):
    """Part of an answer."""

    model_config = _RESPONSE
    group_name: str | None = None
    name: str | None = None
    members: list[dict[str, Any]] | None = None
    start: int | None = None
    end: int | None = None


class ScheduleInfosScheduleRestrictPeriod(BaseModel):
    """Part of an answer."""

    model_config = _RESPONSE
    restrict_start: int | None = None
    restrict_end: int | None = None


class ScheduleInfosScheduleDayMask(BaseModel):
    """Part of an answer."""

    model_config = _RESPONSE
    repeat: list[int] | None = None


class ScheduleInfosScheduleLayer(BaseModel):
    """Part of an answer."""

    model_config = _RESPONSE
    account_id: int | None = None
    name: str | None = None
    schedule_id: int | None = None
    hidden: int | None = None
    mode: int | None = None
    weight: int | None = None
    groups: list[ScheduleInfosScheduleGroup] | None = None
    rotation_duration: int | None = None
    handoff_time: int | None = None
    enable_time: int | None = None
    expire_time: int | None = None
    restrict_mode: int | None = None
    restrict_start: int | None = None
    restrict_end: int | None = None
    restrict_periods: list[ScheduleInfosScheduleRestrictPeriod] | None = None
    day_mask: ScheduleInfosScheduleDayMask | None = None
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


class ScheduleInfosScheduleCalculatedSchedule(BaseModel):
    """Part of an answer."""

    model_config = _RESPONSE
    start: int | None = None
    end: int | None = None
    group: dict[str, Any] | None = None
    index: int | None = None


class ScheduleInfosScheduleCalculatedLayer(BaseModel):
    """Part of an answer."""

    model_config = _RESPONSE
    layer_name: str | None = None
    name: str | None = None
    mode: int | None = None
    schedules: list[ScheduleInfosScheduleCalculatedSchedule] | None = None


class ScheduleInfosScheduleFixedTimeNotifyInfo(BaseModel):
    """Part of an answer."""

    model_config = _RESPONSE
    cycle: str | None = None
    start: str | None = None


class ScheduleInfosScheduleNotifyBy(BaseModel):
    """Part of an answer."""

    model_config = _RESPONSE
    follow_preference: bool | None = None
    personal_channels: list[str] | None = None


class ScheduleInfosScheduleImNotify(BaseModel):
    """Part of an answer."""

    model_config = _RESPONSE
    type: str | None = None
    settings: dict[str, Any] | None = None


class ScheduleInfosScheduleNotify(BaseModel):
    """Part of an answer."""

    model_config = _RESPONSE
    advance_in_time: int | None = None
    fixed_time: ScheduleInfosScheduleFixedTimeNotifyInfo | None = None
    by: ScheduleInfosScheduleNotifyBy | None = None
    im: dict[str, str] | None = None
    webhooks: list[ScheduleInfosScheduleImNotify] | None = None


class ScheduleInfosScheduleOncallGroup(BaseModel):
    """Part of an answer."""

    model_config = _RESPONSE
    start: int | None = None
    end: int | None = None
    group: ScheduleInfosScheduleGroup | None = None
    update_at: int | None = None
    weight: int | None = None
    index: int | None = None


class ScheduleInfosScheduleItem(BaseModel):
    """Part of an answer."""

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
    layers: list[ScheduleInfosScheduleLayer] | None = None
    field: str | None = None
    schedule_layers: list[ScheduleInfosScheduleCalculatedLayer] | None = None
    final_schedule: ScheduleInfosScheduleCalculatedLayer | None = None
    start: int | None = None
    end: int | None = None
    notify: ScheduleInfosScheduleNotify | None = None
    schedule_id: int | None = None
    schedule_name: str | None = None
    team_id: int | None = None
    description: str | None = None
    layer_schedules: list[ScheduleInfosScheduleCalculatedLayer] | None = None
    status: int | None = None
    cur_oncall: ScheduleInfosScheduleOncallGroup | None = None
    next_oncall: ScheduleInfosScheduleOncallGroup | None = None


class ScheduleInfosResponse(BaseModel):
    """The ``data`` of a POST /schedule/infos answer."""

    model_config = _RESPONSE
    items: list[ScheduleInfosScheduleItem] | None = None


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
    """Part of an answer."""

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
