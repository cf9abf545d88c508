"""Shared building blocks of the format: the strict base model, ids, durations, expressions."""

from __future__ import annotations

import re
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    WithJsonSchema,
)

from tabletop.errors import KeyedValueError, Number
from tabletop.model.expressions import Expression, ExpressionError, parse_expression


class StrictModel(BaseModel):
    """Every format model: unknown keys are errors, values are immutable once loaded.

    The docstrings under fields describe them in the JSON Schema; they are read from the
    source only when a schema is made (`tabletop.model.schema`), not at every import (reading
    and parsing the source of every model class took a third of the models' import time).
    """

    model_config = ConfigDict(extra="forbid", frozen=True, validate_default=True)


ID_PATTERN = r"^[a-z0-9][a-z0-9-]*$"
VAR_PATTERN = r"^[a-z_][a-z0-9_]*$"

Id = Annotated[str, Field(pattern=ID_PATTERN, min_length=1, max_length=80)]
"""An id: lower-case letters, digits and hyphens (`blokkade-aanpak`)."""

VarId = Annotated[str, Field(pattern=VAR_PATTERN, max_length=80)]
"""A state variable id: lower case and underscores, so that expressions can name it."""

_DURATION = re.compile(r"^(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?$")
DURATION_PATTERN = r"^(\d+d)?(\d+h)?(\d+m)?$"


MAX_MINUTES = 10_000_000
"""The longest duration a scenario may name (about 19 years of story, as a command may):
beyond it a time is a typo, not a plan (see scenarios/README.md, "What one run costs")."""


def parse_duration(value: Any) -> int:
    """`45m`, `2h`, `1h30m`, `1d6h` (or a whole number of minutes) as minutes."""
    minutes = _parse_duration(value)
    if minutes > MAX_MINUTES:
        raise KeyedValueError("load.duration.too_long", value=str(value),
                              limit=Number(MAX_MINUTES))
    return minutes


def _parse_duration(value: Any) -> int:
    if isinstance(value, bool):
        raise KeyedValueError("load.duration.how")
    if isinstance(value, int):
        if value < 0:
            raise KeyedValueError("load.duration.negative", value=str(value))
        return value
    if isinstance(value, str):
        text = value.strip().replace(" ", "")
        if text.startswith("-"):
            raise KeyedValueError("load.duration.negative", value=f"'{value}'")
        match = _DURATION.match(text) if len(text) <= 40 else None
        if match and text:
            days, hours, minutes = (int(g) if g else 0 for g in match.groups())
            return days * 1440 + hours * 60 + minutes
    raise KeyedValueError("load.duration.bad", value=str(value))


def format_duration(minutes: float) -> str:
    """Minutes as the format writes them: 90 -> '1h30m', 0 -> '0m'."""
    total = int(minutes)
    days, rest = divmod(total, 1440)
    hours, mins = divmod(rest, 60)
    text = (f"{days}d" if days else "") + (f"{hours}h" if hours else "") + (
        f"{mins}m" if mins else "")
    return text or "0m"


Duration = Annotated[
    int,
    BeforeValidator(parse_duration),
    PlainSerializer(format_duration, return_type=str),
    WithJsonSchema({
        "anyOf": [
            {"type": "string", "pattern": DURATION_PATTERN, "minLength": 2},
            {"type": "integer", "minimum": 0},
        ],
        "description": "A duration: 45m, 2h, 1h30m, 1d6h (or whole minutes).",
    }),
]
"""Minutes, written as a duration."""


def _to_expression(value: Any) -> Expression:
    if isinstance(value, Expression):
        return value
    if isinstance(value, bool):
        return parse_expression("true" if value else "false")
    if isinstance(value, (int, float)):
        return parse_expression(str(value))
    if not isinstance(value, str):
        raise KeyedValueError("load.expr.not_text")
    try:
        return parse_expression(value)
    except ExpressionError as exc:
        if exc.column > 0:
            raise KeyedValueError("load.expr.at_column", problem=exc.msg,
                                  column=exc.column) from None
        raise KeyedValueError("load.expr.problem", problem=exc.msg) from None


Expr = Annotated[
    Expression,
    BeforeValidator(_to_expression),
    PlainSerializer(str, return_type=str),
    WithJsonSchema({
        "type": "string",
        "description": "An expression over state, e.g. `spanning >= 3 and not bovenlokaal`.",
    }),
]
"""A parsed expression (see `tabletop.model.expressions`)."""


class LegalBasis(StrictModel):
    """A legal basis, marked when its source could not be verified."""

    basis: str
    """The article or instrument, e.g. `Gemeentewet art. 176`."""
    unverified: bool = False
    """True where the source could not be checked; shown as unverified wherever it appears."""

    def __str__(self) -> str:
        return self.basis + (" (niet geverifieerd)" if self.unverified else "")


def _to_basis(value: Any) -> Any:
    return {"basis": value} if isinstance(value, str) else value


Basis = Annotated[
    LegalBasis,
    BeforeValidator(_to_basis),
    WithJsonSchema({"anyOf": [
        {"type": "string"},
        {"type": "object", "additionalProperties": False, "required": ["basis"],
         "properties": {"basis": {"type": "string"}, "unverified": {"type": "boolean"}}},
    ]}),
]
"""A basis written as text, or as `{basis: ..., unverified: true}`."""
