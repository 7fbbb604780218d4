"""Request and response models of the schedules area."""

from __future__ import annotations

from typing import Annotated, Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, RootModel

from flashcat_prefect.api._generated.entities import EmptyRequest as EmptyRequest
from flashcat_prefect.api._generated.entities import EmptyResponse as EmptyResponse
from flashcat_prefect.api._generated.entities import ScheduleImNotify as ScheduleImNotify
from flashcat_prefect.api.constraints import not_bool, time_span_at_most, unix_seconds

_REQUEST = ConfigDict(extra="forbid", populate_by_name=True, defer_build=True)
_RESPONSE = ConfigDict(extra="allow", populate_by_name=True, defer_build=True)


class ScheduleMember(BaseModel):
    """Part of a request body."""

    model_config = _REQUEST
    role_id: Annotated[int, not_bool]
    person_ids: list[Annotated[int, not_bool]] | None


class ScheduleGroupInput(BaseModel):
    """Part of a request body."""

    model_config = _REQUEST
    group_name: str
    name: str | None = None
    members: list[ScheduleMember] | None
    start: Annotated[int, not_bool, unix_seconds] | None = None
    end: Annotated[int, not_bool, unix_seconds] | None = None


class ScheduleRestrictPeriod(BaseModel):
    """Part of a request body."""

    model_config = _REQUEST
    restrict_start: Annotated[int, not_bool]
    restrict_end: Annotated[int, not_bool]


class ScheduleDayMask(BaseModel):
    """Part of a request body."""

    model_config = _REQUEST
    repeat: list[Annotated[int, not_bool]] | None = None


class ScheduleLayer(BaseModel):
    """Part of a request body."""

    model_config = _REQUEST
    account_id: Annotated[int, not_bool] | None = None
    name: str | None = None
    schedule_id: Annotated[int, not_bool] | None = None
    hidden: Annotated[int, not_bool]
    mode: Literal[0, 1]
    weight: Annotated[int, not_bool]
    groups: list[ScheduleGroupInput] | None
    rotation_duration: Annotated[int, not_bool]
    handoff_time: Annotated[int, not_bool]
    enable_time: Annotated[int, not_bool, unix_seconds]
    expire_time: Annotated[int, not_bool, unix_seconds]
    restrict_mode: Literal[0, 1, 2]
    restrict_start: Annotated[int, not_bool]
    restrict_end: Annotated[int, not_bool]
    restrict_periods: list[ScheduleRestrictPeriod] | None
    day_mask: ScheduleDayMask | None
    create_at: Annotated[int, not_bool, unix_seconds] | None = None
    create_by: Annotated[int, not_bool] | None = None
    update_at: Annotated[int, not_bool, unix_seconds] | None = None
    update_by: Annotated[int, not_bool] | None = None
    layer_name: str | None = None
    fair_rotation: bool
    layer_start: Annotated[int, not_bool, unix_seconds] | None = None
    layer_end: Annotated[int, not_bool, unix_seconds] | None = None
    rotation_unit: Literal["hour", "day", "week", "month"]
    rotation_value: Annotated[int, not_bool]
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
    data_source_id: Annotated[int, not_bool]
    chat_ids: list[str] | None
    verify_token: str
    sign_secret: str


class ScheduleImNotifyInput(BaseModel):
    """Part of a request body."""

    model_config = _REQUEST
    type: str
    settings: ScheduleImNotifySettings | None


class ScheduleNotify(BaseModel):
    """Part of a request body."""

    model_config = _REQUEST
    advance_in_time: Annotated[int, not_bool] | None = None
    fixed_time: ScheduleFixedTimeNotifyInfo | None
    by: ScheduleNotifyBy | None
    im: dict[str, str] | None = None
    webhooks: list[ScheduleImNotifyInput] | None


class ScheduleCreateRequest(BaseModel):
    """Request body of POST /schedule/create."""

    model_config = _REQUEST
    schedule_id: Annotated[int, not_bool] | None = None
    schedule_name: Annotated[str, Field(min_length=0, max_length=40)] | None = None
    name: Annotated[str, Field(min_length=0, max_length=40)] | None = None
    description: Annotated[str, Field(min_length=0, max_length=500)] | None = None
    team_id: Annotated[int, not_bool] | None = None
    layers: list[ScheduleLayer] | None = None
    notify: ScheduleNotify | None = None
    start: Annotated[int, not_bool, unix_seconds] | None = None
    end: Annotated[int, not_bool, unix_seconds] | None = None
    status: Annotated[int, not_bool] | None = None

    check_time_span: ClassVar[Any] = time_span_at_most(45, "start", "end")


class ScheduleCreateResponse(BaseModel):
    """The ``data`` of the answer to POST /schedule/create."""

    model_config = _RESPONSE
    schedule_id: int | None = None


class ScheduleRequest(BaseModel):
    """Request body of POST /schedule/update, POST /schedule/preview."""

    model_config = _REQUEST
    schedule_id: Annotated[int, not_bool] | None = None
    schedule_name: Annotated[str, Field(min_length=0, max_length=40)] | None = None
    name: Annotated[str, Field(min_length=0, max_length=40)] | None = None
    description: Annotated[str, Field(min_length=0, max_length=500)] | None = None
    team_id: Annotated[int, not_bool] | None = None
    layers: list[ScheduleLayer] | None = None
    notify: ScheduleNotify | None = None
    start: Annotated[int, not_bool, unix_seconds] | None = None
    end: Annotated[int, not_bool, unix_seconds] | None = None

    check_time_span: ClassVar[Any] = time_span_at_most(45, "start", "end")


class ScheduleMemberOutput(BaseModel):
    """Part of an answer."""

    model_config = _RESPONSE
    role_id: int | None = None
    person_ids: list[int] | None = None


class ScheduleGroupOutput(BaseModel):
    """Part of an answer."""

    model_config = _RESPONSE
    group_name: str | None = None
    name: str | None = None
    members: list[ScheduleMemberOutput] | None = None
    start: int | None = None
    end: int | None = None


class ScheduleRestrictPeriodOutput(BaseModel):
    """Part of an answer."""

    model_config = _RESPONSE
    restrict_start: int | None = None
    restrict_end: int | None = None


class ScheduleDayMaskOutput(BaseModel):
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
    groups: list[ScheduleGroupOutput] | None = None
    rotation_duration: int | None = None
    handoff_time: int | None = None
    enable_time: int | None = None
    expire_time: int | None = None
    restrict_mode: int | None = None
    restrict_start: int | None = None
    restrict_end: int | None = None
    restrict_periods: list[ScheduleRestrictPeriodOutput] | None = None
    day_mask: ScheduleDayMaskOutput | None = None
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


class ScheduleGroup(BaseModel):
    """Part of an answer."""

    model_config = _RESPONSE
    group_name: str | None = None
    name: str | None = None
    members: list[dict[str, Any]] | None = None
    start: int | None = None
    end: int | None = None


class ScheduleCalculatedScheduleOutput(BaseModel):
    """Part of an answer."""

    model_config = _RESPONSE
    start: int | None = None
    end: int | None = None
    group: ScheduleGroup | None = None
    index: int | None = None


class ScheduleCalculatedLayerOutput(BaseModel):
    """Part of an answer."""

    model_config = _RESPONSE
    layer_name: str | None = None
    name: str | None = None
    mode: int | None = None
    schedules: list[ScheduleCalculatedScheduleOutput] | None = None


class ScheduleFixedTimeNotifyInfoOutput(BaseModel):
    """Part of an answer."""

    model_config = _RESPONSE
    cycle: str | None = None
    start: str | None = None


class ScheduleNotifyByOutput(BaseModel):
    """Part of an answer."""

    model_config = _RESPONSE
    follow_preference: bool | None = None
    personal_channels: list[str] | None = None


class ScheduleImNotifySettingsOutput(BaseModel):
    """Part of an answer."""

    model_config = _RESPONSE
    token: str | None = None
    alias: str | None = None
    data_source_id: int | None = None
    chat_ids: list[str] | None = None
    verify_token: str | None = None
    sign_secret: str | None = None


class ScheduleImNotifyOutput(BaseModel):
    """Part of an answer."""

    model_config = _RESPONSE
    type: str | None = None
    settings: ScheduleImNotifySettingsOutput | None = None


class SchedulePreviewScheduleNotify(BaseModel):
    """Part of an answer."""

    model_config = _RESPONSE
    advance_in_time: int | None = None
    fixed_time: ScheduleFixedTimeNotifyInfoOutput | None = None
    by: ScheduleNotifyByOutput | None = None
    im: dict[str, str] | None = None
    webhooks: list[ScheduleImNotifyOutput] | None = None


class ScheduleOncallGroupOutput(BaseModel):
    """Part of an answer."""

    model_config = _RESPONSE
    start: int | None = None
    end: int | None = None
    group: ScheduleGroupOutput | None = None
    update_at: int | None = None
    weight: int | None = None
    index: int | None = None


class ScheduleResponse(BaseModel):
    """The ``data`` of the answer to POST /schedule/preview, POST /schedule/info."""

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
    schedule_layers: list[ScheduleCalculatedLayerOutput] | None = None
    final_schedule: ScheduleCalculatedLayerOutput | None = None
    start: int | None = None
    end: int | None = None
    notify: SchedulePreviewScheduleNotify | None = None
    schedule_id: int | None = None
    schedule_name: str | None = None
    team_id: int | None = None
    description: str | None = None
    layer_schedules: list[ScheduleCalculatedLayerOutput] | None = None
    status: int | None = None
    cur_oncall: ScheduleOncallGroupOutput | None = None
    next_oncall: ScheduleOncallGroupOutput | None = None


class ScheduleIdsRequest(BaseModel):
    """Request body of 4 endpoints (POST /schedule/delete, POST /schedule/infos, ...)."""

    model_config = _REQUEST
    schedule_ids: list[Annotated[int, not_bool]]


class ScheduleInfoRequest(BaseModel):
    """Request body of POST /schedule/info."""

    model_config = _REQUEST
    schedule_id: Annotated[int, not_bool]
    start: Annotated[int, not_bool, unix_seconds]
    end: Annotated[int, not_bool, unix_seconds]


class ScheduleListRequest(BaseModel):
    """Request body of POST /schedule/list."""

    model_config = _REQUEST
    query: str | None = None
    p: Annotated[int, not_bool] | None = None
    limit: Annotated[int, Field(le=100), not_bool] | None = None
    is_my_team: bool | None = None
    is_my_manage: bool | None = None
    team_ids: list[Annotated[int, not_bool]] | None = None
    start: Annotated[int, not_bool] | None = None
    end: Annotated[int, not_bool, unix_seconds] | None = None

    check_time_span: ClassVar[Any] = time_span_at_most(45, "start", "end")


class ScheduleLayerOutput(BaseModel):
    """Part of an answer."""

    model_config = _RESPONSE
    account_id: int | None = None
    name: str | None = None
    schedule_id: int | None = None
    hidden: int | None = None
    mode: int | None = None
    weight: int | None = None
    groups: list[ScheduleGroup] | None = None
    rotation_duration: int | None = None
    handoff_time: int | None = None
    enable_time: int | None = None
    expire_time: int | None = None
    restrict_mode: int | None = None
    restrict_start: int | None = None
    restrict_end: int | None = None
    restrict_periods: list[ScheduleRestrictPeriodOutput] | None = None
    day_mask: ScheduleDayMaskOutput | None = None
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


class ScheduleCalculatedSchedule(BaseModel):
    """Part of an answer."""

    model_config = _RESPONSE
    start: int | None = None
    end: int | None = None
    group: dict[str, Any] | None = None
    index: int | None = None


class ScheduleCalculatedLayer(BaseModel):
    """Part of an answer."""

    model_config = _RESPONSE
    layer_name: str | None = None
    name: str | None = None
    mode: int | None = None
    schedules: list[ScheduleCalculatedSchedule] | None = None


class ScheduleNotifyOutput(BaseModel):
    """Part of an answer."""

    model_config = _RESPONSE
    advance_in_time: int | None = None
    fixed_time: ScheduleFixedTimeNotifyInfoOutput | None = None
    by: ScheduleNotifyByOutput | None = None
    im: dict[str, str] | None = None
    webhooks: list[ScheduleImNotify] | None = None


class ScheduleOncallGroup(BaseModel):
    """Part of an answer."""

    model_config = _RESPONSE
    start: int | None = None
    end: int | None = None
    group: ScheduleGroup | None = None
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
    layers: list[ScheduleLayerOutput] | None = None
    field: str | None = None
    schedule_layers: list[ScheduleCalculatedLayer] | None = None
    final_schedule: ScheduleCalculatedLayer | None = None
    start: int | None = None
    end: int | None = None
    notify: ScheduleNotifyOutput | None = None
    schedule_id: int | None = None
    schedule_name: str | None = None
    team_id: int | None = None
    description: str | None = None
    layer_schedules: list[ScheduleCalculatedLayer] | None = None
    status: int | None = None
    cur_oncall: ScheduleOncallGroup | None = None
    next_oncall: ScheduleOncallGroup | None = None


class ScheduleListResponse(BaseModel):
    """The ``data`` of the answer to POST /schedule/list."""

    model_config = _RESPONSE
    items: list[ScheduleItem] | None = None
    total: int | None = None


class ScheduleSelfRequest(BaseModel):
    """Request body of POST /schedule/self."""

    model_config = _REQUEST
    start: Annotated[int, not_bool, unix_seconds] | None = None
    end: Annotated[int, not_bool, unix_seconds] | None = None

    check_time_span: ClassVar[Any] = time_span_at_most(30, "start", "end")


class ScheduleSelfResponse(BaseModel):
    """The ``data`` of the answer to POST /schedule/self, POST /schedule/infos."""

    model_config = _RESPONSE
    items: list[ScheduleItem] | None = None


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
    """The ``data`` of the answer to GET /oncall/roles."""

    model_config = ConfigDict(defer_build=True)
