"""The connection settings of a client, written once for both blocks and both clients.

``FlashcatCredentials`` and ``FlashcatIntegration`` take their setting fields from these
models, and ``FlashcatClient`` / ``AsyncFlashcatClient`` check their keyword arguments against
them, so a new setting is one field here (plus :class:`ClientSettingsArgs` for type checkers,
which a test keeps in step). Blocks coerce as Prefect does when it loads saved data
(``"5"`` becomes ``5.0``); clients check strictly (``True`` is no retry count).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypedDict

from pydantic import BaseModel, Field, ValidationError, field_validator

from flashcat_prefect.client.errors import FlashcatValidationError
from flashcat_prefect.client.prefect_pacing import Pacing, WhenUnreachable

DEFAULT_BASE_URL = "https://api.flashcat.cloud"


class ConnectionSettings(BaseModel):
    """Where the API is and how patiently to call it: the settings every kind of key has."""

    base_url: str = Field(
        default=DEFAULT_BASE_URL,
        title="Base URL",
        description="Root URL of the Flashduty API; change it only for a private deployment "
        "or the local emulator.",
    )
    timeout: float = Field(
        default=30.0,
        gt=0,
        description="Seconds to wait for each HTTP attempt before it counts as timed out.",
    )
    max_retries: int = Field(
        default=3,
        ge=0,
        le=10,
        description="How many times the client resends a call after a rate limit, server error "
        "or network fault.",
    )
    pacing: Pacing = Field(
        default="process",
        description="process: each process paces itself within the budget. prefect: every "
        "process and machine that reaches the same Prefect API shares the budget through "
        "Prefect rate limits (docs/scaling.md).",
    )
    when_prefect_unreachable: WhenUnreachable = Field(
        default="fail",
        description="With pacing prefect, what a call does when the Prefect API does not "
        "answer: fail (raise, send nothing) or process (pace this process alone and try "
        "Prefect again after 30 s).",
    )

    @field_validator("base_url")
    @classmethod
    def _is_http_url(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError("must be an http(s) URL")
        return value

    @classmethod
    def values_of(cls, holder: object) -> dict[str, Any]:
        """The settings of this model that ``holder`` (e.g. a block) carries, by name."""
        return {name: getattr(holder, name) for name in cls.model_fields}


class ClientSettings(ConnectionSettings):
    """Every setting of a client. An APP-key block holds them all; an integration block holds
    the connection part (its budgets are the Event API's fixed limits)."""

    requests_per_second: int = Field(
        default=50,
        ge=1,
        description="Client-side budget of calls per second for this account "
        "(Flashduty allows 50).",
    )
    requests_per_minute: int = Field(
        default=1000,
        ge=1,
        description="Client-side budget of calls per minute for this account "
        "(Flashduty allows 1000).",
    )
    accept_language: str | None = Field(
        default=None,
        description="Language of error messages, zh-CN or en-US; the server default when empty.",
    )

    @classmethod
    def checked(cls, values: Mapping[str, Any]) -> Self:
        """The settings from a client's keyword arguments, checked strictly; a
        :class:`FlashcatValidationError` names each bad or unknown setting and its rule."""
        unknown = sorted(set(values) - set(cls.model_fields))
        if unknown:
            rule = f"unknown setting; the settings are: {', '.join(cls.model_fields)}"
            problems = [(name, rule) for name in unknown]
            raise FlashcatValidationError(
                f"Invalid client settings: {unknown[0]} ({rule})", problems
            )
        try:
            return cls.model_validate(dict(values), strict=True)
        except ValidationError as exc:
            errors = exc.errors(include_input=False)
            raise FlashcatValidationError.from_pydantic(
                "", errors, subject="client settings"
            ) from None


class ClientSettingsArgs(TypedDict, total=False):
    """:class:`ClientSettings` as keyword arguments, for type checkers and IDEs (the defaults
    and rules are the model's)."""

    base_url: str
    timeout: float
    max_retries: int
    pacing: Pacing
    when_prefect_unreachable: WhenUnreachable
    requests_per_second: int
    requests_per_minute: int
    accept_language: str | None
