"""Prefect blocks holding Flashduty secrets: the APP key and an integration (push) key.

A block builds clients; tasks take the block, never a live client. Every client built from
blocks with the same base URL, key and budgets (``requests_per_second``/``_minute``) shares
one rate limiter, so all threads and tasks of a flow run stay inside one budget; blocks that
set different budgets for one key get separate limiters.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal, Self, TypeVar

import httpx
from prefect.blocks.abstract import CredentialsBlock
from prefect.blocks.core import Block
from pydantic import BaseModel, ConfigDict, Field, SecretStr, model_validator

from flashcat_prefect.api import EVENT_RATE_LIMIT, get_endpoint
from flashcat_prefect.client import AsyncFlashcatClient, FlashcatClient
from flashcat_prefect.client.settings import ClientSettings, ConnectionSettings
from flashcat_prefect.client.shared import shared_async_client, shared_client

LOGO_URL = "https://docs.flashduty.com/logo/saas-favicon.png"
ALERT_PUSH_PATH = "/event/push/alert/standard"
CHANGE_PUSH_PATH = "/event/push/change/standard"

EventStatus = Literal["Critical", "Warning", "Info", "Ok"]
ALERT_TITLE_MAX = 512
"""Flashduty keeps this many characters of an alert title (``title_rule``) and drops the rest."""
ALERT_DESCRIPTION_MAX = 2048
"""Flashduty keeps this many characters of an alert description."""
ChangeStatus = Literal["Planned", "Ready", "Processing", "Canceled", "Done"]

BlockT = TypeVar("BlockT", bound=Block)

PREFECT_BLOCK_KEYS = frozenset({"block_type_slug"})
"""Keys Prefect itself adds to a saved block's data."""


def refuse_unknown_fields(block_class: type[Block], values: Any) -> Any:
    """Refuse misspelt or unknown settings instead of silently keeping them (Prefect's blocks
    allow extra fields); the key Prefect adds to saved block data still loads."""
    if isinstance(values, dict):
        unknown = sorted(set(values) - set(block_class.model_fields) - PREFECT_BLOCK_KEYS)
        if unknown:
            raise ValueError(
                f"unknown field(s) {', '.join(unknown)} for {block_class.__name__}; "
                f"the fields are: {', '.join(block_class.model_fields)}"
            )
    return values


QUIET_ERRORS = ConfigDict(hide_input_in_errors=True)
"""Validation errors do not echo the input: it holds the key."""


class _AppKeyField(BaseModel):
    """The APP key, in a base of its own so that the block's form shows it before the settings."""

    app_key: SecretStr = Field(
        title="APP Key",
        description="Flashduty APP key (console: Account settings, APP Key); sent as the app_key query parameter.",
    )


class _IntegrationKeyField(BaseModel):
    """The integration key, first in the block's form like the APP key."""

    integration_key: SecretStr = Field(
        description="Key of a Flashduty alert or change integration; sent as the integration_key query parameter.",
    )


class FlashcatCredentials(CredentialsBlock, ClientSettings, _AppKeyField):
    """Access to the Flashduty (Flashcat) on-call Open API through an APP key.

    The key acts as the member who created it. ``get_client()`` / ``get_async_client()``
    return clients that validate, pace (per-second and per-minute budgets shared by every
    client of this account in the process), retry and decode every call.

    Examples:
        Load a saved block and list the members of the account:
        ```python
        from flashcat_prefect import FlashcatCredentials

        flashcat_credentials = FlashcatCredentials.load("BLOCK_NAME")
        with flashcat_credentials.get_client() as client:
            for member in client.iter_items("/member/list"):
                print(member["member_name"])
        ```
    """

    _block_type_name = "Flashcat Credentials"
    _logo_url = LOGO_URL
    _documentation_url = "https://docs.flashduty.com/en/openapi/introduction"

    model_config = QUIET_ERRORS

    @model_validator(mode="before")
    @classmethod
    def check_field_names(cls, values: Any) -> Any:
        return refuse_unknown_fields(cls, values)

    def _client_settings(self) -> dict[str, Any]:
        return ClientSettings.values_of(self)

    def _secret_value(self) -> str:
        return self.app_key.get_secret_value()

    @classmethod
    def resolve(cls, credentials: FlashcatCredentials | str) -> FlashcatCredentials:
        """The block itself, or the saved block of that name (deployments pass names)."""
        if isinstance(credentials, str):
            return cls.load(credentials)  # type: ignore[return-value]
        return require_block(credentials, cls, "credentials")

    if TYPE_CHECKING:  # Prefect types load() as "block or coroutine"; in sync code it is the block

        @classmethod
        def load(cls, name: str, validate: bool = True, client: Any = None) -> Self: ...

    def get_client(self, *, transport: httpx.BaseTransport | None = None) -> FlashcatClient:
        """A :class:`FlashcatClient` for this account (use it as a context manager)."""
        return FlashcatClient(self.app_key, transport=transport, **self._client_settings())

    def get_async_client(
        self, *, transport: httpx.AsyncBaseTransport | None = None
    ) -> AsyncFlashcatClient:
        """An :class:`AsyncFlashcatClient` for this account (use it with ``async with``)."""
        return AsyncFlashcatClient(self.app_key, transport=transport, **self._client_settings())


def require_block(value: object, block_class: type[BlockT], parameter: str) -> BlockT:
    """``value`` if it is a ``block_class`` block, else a TypeError naming ``parameter``.

    The message shows the value's type, never the value (a misplaced key must not leak).
    """
    if isinstance(value, block_class):
        return value
    name = block_class.__name__
    if isinstance(value, FlashcatClient | AsyncFlashcatClient):
        hint = "pass the block the client came from: tasks and flows share clients of their own"
    elif isinstance(value, str):
        hint = f"load a saved block with {name}.load(block_name); flows also take the name itself"
    else:
        hint = f"e.g. {name}.load(block_name)"
    raise TypeError(f"{parameter}: expected a {name} block, not {type(value).__name__} ({hint})")


class FlashcatIntegration(Block, ConnectionSettings, _IntegrationKeyField):
    """Pushes alert and change events into Flashduty through an integration key (Event API).

    Each alert integration (or change integration) in Flashduty has its own key; events with
    the same ``alert_key`` update and finally recover one alert. Pushes are validated before
    they are sent and paced per integration (100 per second, 1000 per minute).

    Examples:
        Raise an alert, then recover it:
        ```python
        from flashcat_prefect import FlashcatIntegration

        flashcat_integration = FlashcatIntegration.load("BLOCK_NAME")
        key = flashcat_integration.push_alert("Critical", "Disk full on db-1", alert_key="db-1-disk")
        flashcat_integration.push_alert("Ok", "Disk full on db-1", alert_key=key)
        ```
    """

    _block_type_name = "Flashcat Integration"
    _logo_url = LOGO_URL
    _documentation_url = "https://docs.flashduty.com/en/on-call/integration/alert-integration/alert-sources/standard-alert"

    model_config = QUIET_ERRORS

    @model_validator(mode="before")
    @classmethod
    def check_field_names(cls, values: Any) -> Any:
        return refuse_unknown_fields(cls, values)

    def _client_settings(self) -> dict[str, Any]:
        return {
            **ConnectionSettings.values_of(self),
            "requests_per_second": EVENT_RATE_LIMIT.per_second,
            "requests_per_minute": EVENT_RATE_LIMIT.per_minute,
            "auth_param": "integration_key",
        }

    def _secret_value(self) -> str:
        return self.integration_key.get_secret_value()

    if TYPE_CHECKING:  # Prefect types load() as "block or coroutine"; in sync code it is the block

        @classmethod
        def load(cls, name: str, validate: bool = True, client: Any = None) -> Self: ...

    def get_client(self, *, transport: httpx.BaseTransport | None = None) -> FlashcatClient:
        """A :class:`FlashcatClient` that authenticates with the integration key."""
        return FlashcatClient(self.integration_key, transport=transport, **self._client_settings())

    def get_async_client(
        self, *, transport: httpx.AsyncBaseTransport | None = None
    ) -> AsyncFlashcatClient:
        """An :class:`AsyncFlashcatClient` that authenticates with the integration key."""
        return AsyncFlashcatClient(
            self.integration_key, transport=transport, **self._client_settings()
        )

    def push_alert(
        self,
        event_status: EventStatus,
        title_rule: str,
        alert_key: str | None = None,
        description: str | None = None,
        labels: dict[str, str] | None = None,
        images: list[dict[str, str]] | None = None,
    ) -> str | None:
        """Push one alert event; returns the alert key (the server makes one when none is given)."""
        fields = _event_fields(
            event_status=event_status,
            title_rule=title_rule,
            alert_key=alert_key,
            description=description,
            labels=labels,
            images=images,
        )
        answer = shared_client(self).call(get_endpoint(ALERT_PUSH_PATH), **fields)
        return _alert_key_of(answer, alert_key)

    async def apush_alert(
        self,
        event_status: EventStatus,
        title_rule: str,
        alert_key: str | None = None,
        description: str | None = None,
        labels: dict[str, str] | None = None,
        images: list[dict[str, str]] | None = None,
    ) -> str | None:
        """Async twin of :meth:`push_alert`."""
        fields = _event_fields(
            event_status=event_status,
            title_rule=title_rule,
            alert_key=alert_key,
            description=description,
            labels=labels,
            images=images,
        )
        answer = await shared_async_client(self).call(get_endpoint(ALERT_PUSH_PATH), **fields)
        return _alert_key_of(answer, alert_key)

    def push_change(
        self,
        change_status: ChangeStatus,
        change_key: str,
        title: str,
        event_time: int | None = None,
        description: str | None = None,
        link: str | None = None,
        labels: dict[str, str] | None = None,
    ) -> None:
        """Push one change event (deploys, config changes); events with one ``change_key`` merge."""
        fields = _event_fields(
            change_status=change_status,
            change_key=change_key,
            title=title,
            event_time=event_time,
            description=description,
            link=link,
            labels=labels,
        )
        shared_client(self).call(get_endpoint(CHANGE_PUSH_PATH), **fields)

    async def apush_change(
        self,
        change_status: ChangeStatus,
        change_key: str,
        title: str,
        event_time: int | None = None,
        description: str | None = None,
        link: str | None = None,
        labels: dict[str, str] | None = None,
    ) -> None:
        """Async twin of :meth:`push_change`."""
        fields = _event_fields(
            change_status=change_status,
            change_key=change_key,
            title=title,
            event_time=event_time,
            description=description,
            link=link,
            labels=labels,
        )
        await shared_async_client(self).call(get_endpoint(CHANGE_PUSH_PATH), **fields)


def _event_fields(**fields: Any) -> dict[str, Any]:
    """The given event fields without the unset ones (the request model validates the rest)."""
    return {name: value for name, value in fields.items() if value is not None}


def _alert_key_of(answer: Any, sent_key: str | None) -> str | None:
    return getattr(answer, "alert_key", None) or sent_key


__all__ = ["FlashcatCredentials", "FlashcatIntegration"]
