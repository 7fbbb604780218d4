"""The one reading of model annotations (``api/annotations.py``) that request samples, the
emulator's answer filler and its record store share."""

from __future__ import annotations

from typing import Annotated, Any, Literal

import pytest
from pydantic import BaseModel, Field

from flashcat_prefect.api.annotations import Constraints, decompose
from flashcat_prefect.emulator.synth import sample


class Inner(BaseModel):
    name: str


class Shapes(BaseModel):
    year: Annotated[int, Field(ge=2023)] | None = None
    ids: Annotated[list[Annotated[str, Field(pattern="^[0-9a-fA-F]{24}$")]], Field(min_length=1)]
    score: Annotated[float, Field(ge=0.5)] | None = None
    kind: Literal["a", "b"] | None = None
    labels: dict[str, str] | None = None
    inner: Inner | None = None
    anything: Any = None


@pytest.mark.parametrize(
    ("field", "kind", "nullable"),
    [
        ("year", "int", True),
        ("ids", "sequence", False),
        ("score", "float", True),
        ("kind", "literal", True),
        ("labels", "mapping", True),
        ("inner", "model", True),
        ("anything", "other", False),
    ],
)
def test_decompose_peels_annotated_and_optional(field: str, kind: str, nullable: bool) -> None:
    info = Shapes.model_fields[field]
    shape = decompose(info.annotation, info.metadata)
    assert (shape.kind, shape.nullable) == (kind, nullable)


def test_constraints_inside_an_optional_are_read() -> None:
    info = Shapes.model_fields["year"]
    assert decompose(info.annotation, info.metadata).constraints == Constraints(ge=2023)
    ids = decompose(Shapes.model_fields["ids"].annotation, Shapes.model_fields["ids"].metadata)
    assert ids.constraints.min_length == 1
    assert decompose(ids.item).constraints.pattern == "^[0-9a-fA-F]{24}$"


def test_emulator_samples_keep_the_rules_declared_inside_an_optional() -> None:
    # Before the shared walker the filler saw only the field's outer rules: year 0, score 0.0
    # and an id that is no ObjectID: all three refused by the model itself.
    filled = sample(Shapes, fill_optional=True)
    assert filled["year"] == 2023 and filled["score"] == 0.5
    assert filled["ids"] == ["000000000000000000000000"]
    assert filled["kind"] == "a" and filled["labels"] == {} and filled["inner"] == {"name": ""}
    Shapes.model_validate(filled)
