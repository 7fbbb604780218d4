"""Fault injection: make the emulator slow, failing, rate limited or broken on purpose.

Faults are matched per request in the order they were added. A fault applies to one path
(``path="/incident/list"``), a path prefix (``path="/incident/*"``) or every path
(``path=None``); it fires with a ``probability`` and at most ``times`` times. A scripted
``sequence`` answers successive requests of a path step by step (``None`` = behave).

Kinds:
``latency``       sleep ``seconds`` first, then answer normally (combines with others)
``http_error``    answer ``status`` (default 500) with an error envelope (``code`` optional)
``rate_limit``    429 RequestTooFrequently, with ``Retry-After: retry_after`` when given
``drop``          cut the connection mid-answer (the client sees an incomplete response)
``malformed``     HTTP 200 whose body is not valid JSON
``error_in_200``  HTTP 200 carrying an ``error`` object instead of ``data``

``after_handler=True`` (with ``http_error``, ``drop``, ``malformed`` or ``error_in_200``)
runs the request for real first, so a write changes the state, and then fails the answer:
the client cannot tell whether its write was applied, as when a proxy loses the answer.
"""

from __future__ import annotations

import random
import threading
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

FaultKind = Literal["latency", "http_error", "rate_limit", "drop", "malformed", "error_in_200"]
FAULT_KINDS: tuple[str, ...] = FaultKind.__args__  # type: ignore[attr-defined]

MAX_FAULT_SECONDS = 600
"""Longest latency or Retry-After a fault may ask for."""
_DEFAULT_CODE_BY_STATUS = {
    500: "InternalError",
    502: "InternalError",
    503: "ServiceUnavailable",
    504: "ServiceUnavailable",
    429: "RequestTooFrequently",
}


@dataclass
class Fault:
    """One injected misbehaviour; see the module docstring for the kinds."""

    kind: FaultKind
    path: str | None = None
    probability: float = 1.0
    times: int | None = None
    seconds: float = 0.0
    status: int = 500
    code: str | None = None
    message: str = "injected fault"
    retry_after: int | None = None
    after_handler: bool = False
    """Run the request first (a write is applied), then answer with the fault."""
    fired: int = field(default=0, init=False)

    def __post_init__(self) -> None:
        if self.kind not in FAULT_KINDS:
            raise ValueError(f"kind must be one of {', '.join(FAULT_KINDS)}, not {self.kind!r}")
        if not 0.0 <= self.probability <= 1.0:
            raise ValueError("probability must be between 0 and 1")
        if self.times is not None and self.times < 0:
            raise ValueError("times must be >= 0")
        if not 0 <= self.seconds <= MAX_FAULT_SECONDS:
            raise ValueError(f"seconds must be between 0 and {MAX_FAULT_SECONDS}")
        if (
            isinstance(self.status, bool)
            or not isinstance(self.status, int)
            or not (100 <= self.status <= 599)
        ):
            raise ValueError("status must be an HTTP status code between 100 and 599")
        if self.retry_after is not None and (
            isinstance(self.retry_after, bool)
            or not isinstance(self.retry_after, int)
            or not 0 <= self.retry_after <= MAX_FAULT_SECONDS
        ):
            # an integer only: a string could carry CR/LF into the Retry-After header
            raise ValueError(f"retry_after must be whole seconds between 0 and {MAX_FAULT_SECONDS}")
        if self.after_handler and self.kind in ("latency", "rate_limit"):
            raise ValueError(
                "after_handler: only http_error, drop, malformed and error_in_200 "
                "can fail an answer after the request ran"
            )
        if self.kind == "rate_limit":
            self.status = 429
        if self.code is None:
            self.code = _DEFAULT_CODE_BY_STATUS.get(self.status, "InternalError")

    def matches(self, path: str) -> bool:
        if self.path is None:
            return True
        if self.path.endswith("*"):
            return path.startswith(self.path[:-1])
        return path == self.path

    @property
    def exhausted(self) -> bool:
        return self.times is not None and self.fired >= self.times

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


class FaultSet:
    """The faults of one emulator; thread-safe, shared by every request."""

    def __init__(self, seed: int | None = None) -> None:
        self._faults: list[Fault] = []
        self._sequences: dict[str, list[Fault | None]] = {}
        self._lock = threading.Lock()
        self._random = random.Random(seed)

    def add(self, kind: FaultKind | Fault, path: str | None = None, **options: Any) -> Fault:
        """Add a fault (``emu.faults.add("http_error", path="/incident/list", status=503)``)."""
        fault = kind if isinstance(kind, Fault) else Fault(kind=kind, path=path, **options)
        with self._lock:
            self._faults.append(fault)
        return fault

    def sequence(self, path: str, steps: Iterable[Fault | dict[str, Any] | str | None]) -> None:
        """Script the next answers of ``path``: one step per request, ``None`` to behave.

        A step is a :class:`Fault`, a dict of its fields, or just a kind name.
        """
        script: list[Fault | None] = []
        for step in steps:
            if step is None or isinstance(step, Fault):
                script.append(step)
            elif isinstance(step, str):
                script.append(Fault(kind=step, path=path))  # type: ignore[arg-type]
            else:
                script.append(Fault(**{"path": path, **step}))
        with self._lock:
            self._sequences[path] = script

    def clear(self) -> None:
        with self._lock:
            self._faults.clear()
            self._sequences.clear()

    def pick(self, path: str) -> list[Fault]:
        """The faults this request suffers, in order (latency first, at most one terminal)."""
        with self._lock:
            chosen: list[Fault] = []
            script = self._sequences.get(path)
            if script:
                step = script.pop(0)
                if step is not None:
                    step.fired += 1
                    chosen.append(step)
            for fault in self._faults:
                if fault.exhausted or not fault.matches(path):
                    continue
                if fault.probability < 1.0 and self._random.random() >= fault.probability:
                    continue
                if fault.kind != "latency" and any(f.kind != "latency" for f in chosen):
                    continue
                fault.fired += 1
                chosen.append(fault)
            chosen.sort(key=lambda f: f.kind != "latency")
            return chosen

    def describe(self) -> dict[str, Any]:
        with self._lock:
            return {
                "faults": [f.to_dict() for f in self._faults],
                "sequences": {
                    path: [None if s is None else s.to_dict() for s in steps]
                    for path, steps in self._sequences.items()
                },
            }

    def __len__(self) -> int:
        return len(self._faults) + sum(len(s) for s in self._sequences.values())
