"""Request and response models of the preferences area."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

_REQUEST = ConfigDict(extra="forbid", populate_by_name=True, defer_build=True)
_RESPONSE = ConfigDict(extra="allow", populate_by_name=True, defer_build=True)


class PreferenceInfoRequest(BaseModel):
    """Request body of POST /preference/info."""

    model_config = _REQUEST


class SeverityToBy(BaseModel):
    """Part of an answer."""

    model_config = _RESPONSE
    critical: list[str] | None = None
    warning: list[str] | None = None
    info: list[str] | None = None


class PreferenceInfoResponseSheduleShiftNotify(BaseModel):
    """Part of an answer."""

    model_config = _RESPONSE
    personal_channels: list[str] | None = None


class PreferenceInfoResponse(BaseModel):
    """The ``data`` of a POST /preference/info answer."""

    model_config = _RESPONSE
    person_id: int | None = None
    trigger_notify: SeverityToBy | None = None
    shedule_shift_notify: PreferenceInfoResponseSheduleShiftNotify | None = None


class PreferenceUpdateSeverityToBy(BaseModel):
    """Part of a request body."""

    model_config = _REQUEST
    critical: (
        list[
            Annotated[
                str,
                Field(
                    pattern="^(email|voice|sms|push|feishu_app:\\d+|dingtalk_app:\\d+|wecom_app:\\d+|teams_app:\\d+)$"
                ),
            ]
        ]
        | None
    )
    warning: (
        list[
            Annotated[
                str,
                Field(
                    pattern="^(email|voice|sms|push|feishu_app:\\d+|dingtalk_app:\\d+|wecom_app:\\d+|teams_app:\\d+)$"
                ),
            ]
        ]
        | None
    )
    info: (
        list[
            Annotated[
                str,
                Field(
                    pattern="^(email|voice|sms|push|feishu_app:\\d+|dingtalk_app:\\d+|wecom_app:\\d+|teams_app:\\d+)$"
                ),
            ]
        ]
        | None
    )


class PreferenceUpdateRequestScheduleShiftNotify(BaseModel):
    """Part of a request body."""

    model_config = _REQUEST
    personal_channels: list[str] | None


class PreferenceUpdateRequest(BaseModel):
    """Request body of POST /preference/update."""

    model_config = _REQUEST
    trigger_notify: PreferenceUpdateSeverityToBy
    schedule_shift_notify: PreferenceUpdateRequestScheduleShiftNotify | None = None


class PreferenceUpdateResponse(BaseModel):
    """The ``data`` of a POST /preference/update answer."""

    model_config = _RESPONSE
