"""Request and response models of the preferences area."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from flashcat_prefect.api._generated.entities import EmptyRequest as EmptyRequest
from flashcat_prefect.api._generated.entities import EmptyResponse as EmptyResponse

_REQUEST = ConfigDict(extra="forbid", populate_by_name=True, defer_build=True)
_RESPONSE = ConfigDict(extra="allow", populate_by_name=True, defer_build=True)


class SeverityToByOutput(BaseModel):
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
    """The ``data`` of the answer to POST /preference/info."""

    model_config = _RESPONSE
    person_id: int | None = None
    trigger_notify: SeverityToByOutput | None = None
    shedule_shift_notify: PreferenceInfoResponseSheduleShiftNotify | None = None


class SeverityToBy(BaseModel):
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
    trigger_notify: SeverityToBy
    schedule_shift_notify: PreferenceUpdateRequestScheduleShiftNotify | None = None
