"""One reading of pydantic field annotations, shared by everything that builds values from models.

:func:`decompose` peels an annotation down to a :class:`Shape`: ``Annotated`` layers are
removed and their constraints merged (a ``Field(...)`` inside ``Annotated`` gives its own),
``X | None`` and other unions stand for their first member that is not ``None``, and what is
left is one of a few kinds (model, sequence, mapping, literal, enum, bool, int, float, str,
other). :class:`ValueBuilder` walks a model with it; the request samples
(``api/samples.py``) and the emulator's answer filler (``emulator/synth.py``) subclass it and
supply only what differs: which fields to fill, text, numbers and list length. The emulator's
record store reads id and item types through :func:`decompose` too.
"""

from __future__ import annotations

import enum
import types
import typing
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel, RootModel
from pydantic.fields import FieldInfo

Kind = Literal[
    "model", "sequence", "mapping", "literal", "enum", "bool", "int", "float", "str", "other"
]
_SEQUENCES = (list, tuple, set, frozenset, Sequence)
_MAPPINGS = (dict, Mapping)
_SCALARS: dict[Any, Kind] = {bool: "bool", int: "int", float: "float", str: "str"}


@dataclass(frozen=True)
class Constraints:
    """The declared rules of a value (pydantic/annotated_types metadata), ``None`` when absent."""

    pattern: str | None = None
    min_length: int | None = None
    max_length: int | None = None
    ge: float | None = None
    gt: float | None = None
    le: float | None = None
    lt: float | None = None

    @classmethod
    def of(cls, metadata: Iterable[Any]) -> Constraints:
        """Collect the rules from ``metadata``; the first item naming a rule wins."""
        found: dict[str, Any] = {}
        for item in _flatten(metadata):
            for rule in cls.__dataclass_fields__:
                value = getattr(item, rule, None)
                if value is not None:
                    found.setdefault(rule, value)
        return cls(**found)

    def clamp(self, value: float) -> float:
        """``value`` moved into the declared range (a strict bound steps one past it)."""
        if self.ge is not None and value < self.ge:
            value = self.ge
        if self.gt is not None and value <= self.gt:
            value = self.gt + 1
        if self.le is not None and value > self.le:
            value = self.le
        if self.lt is not None and value >= self.lt:
            value = self.lt - 1
        return value


@dataclass(frozen=True)
class Shape:
    """What an annotation comes down to (see the module docstring)."""

    kind: Kind
    type: Any
    """The annotation left after peeling: the model or enum class, ``list[X]``, ``int``..."""
    args: tuple[Any, ...]
    """Its type arguments: the literal's values, the sequence's item type."""
    constraints: Constraints
    nullable: bool

    @property
    def item(self) -> Any:
        """The item annotation of a sequence (``Any`` when it names none)."""
        return self.args[0] if self.args else Any


def decompose(annotation: Any, metadata: Iterable[Any] = ()) -> Shape:
    """The :class:`Shape` of ``annotation``, with ``metadata`` (a field's) as outer rules."""
    rules = list(metadata)
    nullable = False
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation, *extra = typing.get_args(annotation)
            rules.extend(extra)
        elif origin in (typing.Union, types.UnionType):
            members = [a for a in typing.get_args(annotation) if a is not type(None)]
            nullable = nullable or len(members) < len(typing.get_args(annotation))
            if not members:
                return Shape("other", None, (), Constraints.of(rules), True)
            annotation = members[0]
        else:
            break
    args = typing.get_args(annotation)
    return Shape(_kind(annotation, origin), annotation, args, Constraints.of(rules), nullable)


def _kind(annotation: Any, origin: Any) -> Kind:
    if origin is Literal:
        return "literal"
    if origin in _SEQUENCES or annotation in _SEQUENCES:
        return "sequence"
    if origin in _MAPPINGS or annotation in _MAPPINGS:
        return "mapping"
    if isinstance(annotation, type):
        if issubclass(annotation, BaseModel):
            return "model"
        if issubclass(annotation, enum.Enum):
            return "enum"
    return _SCALARS.get(annotation, "other")


def members(annotation: Any) -> list[Any]:
    """The alternatives of a union (``Annotated`` peeled, ``None`` left out); else itself."""
    while typing.get_origin(annotation) is typing.Annotated:
        annotation = typing.get_args(annotation)[0]
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        return [a for a in typing.get_args(annotation) if a is not type(None)]
    return [annotation]


def wire_name(name: str, info: FieldInfo) -> str:
    """The JSON key of a model field (its alias when it has one)."""
    return info.serialization_alias or info.alias or name


def _flatten(metadata: Iterable[Any]) -> list[Any]:
    """A ``Field(...)`` inside ``Annotated`` carries its rules in its own ``metadata``."""
    flat: list[Any] = []
    for item in metadata:
        flat.extend(item.metadata if isinstance(item, FieldInfo) else [item])
    return flat


class ValueBuilder:
    """Builds a JSON-ready value for a model or annotation, one :class:`Shape` kind at a time.

    Shared rules: a literal gives its first value, an enum its first member's value, a bool
    ``False``, a mapping ``{}``, a sequence :meth:`list_size` items. Subclasses decide which
    fields a model gets (:meth:`include`) and the leaves: :meth:`number`, :meth:`text`,
    :meth:`other`. ``depth`` counts the models and sequences entered below the first model.
    """

    def __init__(self) -> None:
        self.depth = 0

    def model(self, model: type[BaseModel]) -> Any:
        """The fields :meth:`include` selects, by wire name (a root model: its root value)."""
        if issubclass(model, RootModel):
            return self.field("root", model.model_fields["root"])
        body: dict[str, Any] = {}
        for name, info in model.model_fields.items():
            if self.include(info):
                wire = wire_name(name, info)
                body[wire] = self.field(wire, info)
        return body

    def field(self, wire: str, info: FieldInfo) -> Any:
        return self.value(info.annotation, info.metadata, wire)

    def value(self, annotation: Any, metadata: Iterable[Any], name: str) -> Any:
        shape = decompose(annotation, metadata)
        kind = shape.kind
        if kind == "model":
            return self._deeper(self.model, shape.type)
        if kind == "sequence":
            size = self.list_size(shape.constraints)
            return [self._deeper(self.value, shape.item, (), name) for _ in range(size)]
        if kind == "mapping":
            return {}
        if kind == "literal":
            return shape.args[0]
        if kind == "enum":
            return next(iter(shape.type)).value
        if kind == "bool":
            return False
        if kind == "int":
            return int(self.number(shape.constraints, name, integer=True))
        if kind == "float":
            return float(self.number(shape.constraints, name, integer=False))
        if kind == "str":
            return self.text(shape.constraints, name)
        return self.other(shape, name)

    def _deeper(self, build: Any, *args: Any) -> Any:
        self.depth += 1
        try:
            return build(*args)
        finally:
            self.depth -= 1

    # -- what subclasses decide -------------------------------------------------------------

    def include(self, info: FieldInfo) -> bool:
        """Whether a model field gets a value (by default: the required ones)."""
        return info.is_required()

    def list_size(self, constraints: Constraints) -> int:
        """How many items a sequence gets (by default its minimum length)."""
        return constraints.min_length or 0

    def number(self, constraints: Constraints, name: str, *, integer: bool) -> float:
        """A number within ``constraints`` (by default 0 moved into range)."""
        return constraints.clamp(0)

    def text(self, constraints: Constraints, name: str) -> str:
        """A string for the field ``name`` that keeps ``constraints``."""
        raise NotImplementedError

    def other(self, shape: Shape, name: str) -> Any:
        """A value for an annotation of no known kind (``Any``, ``None``)."""
        return None


__all__ = ["Constraints", "Shape", "ValueBuilder", "decompose", "members", "wire_name"]
