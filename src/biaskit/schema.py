"""The label schema: the codebook as data.

A :class:`Schema` lists the framing labels, what each means, which attributes
it takes with which values, and its display colour. It checks spans and returns
every problem it finds rather than raising on the first.

Examples
--------
>>> schema = Schema(
...     name="demo",
...     version="1.0",
...     labels=[
...         LabelSpec(
...             "EVENT_TERM",
...             description="A loaded name for an event.",
...             color="#d95f02",
...             attributes=[AttributeSpec("register", values=("loaded", "euphemism"))],
...         )
...     ],
... )
>>> from biaskit.model import Span
>>> [p.message for p in schema.check_span(Span(0, 4, "EVENT_TERM", attributes={"register": "odd"}))]
["attribute 'register' of EVENT_TERM must be one of 'loaded', 'euphemism', not 'odd'"]
>>> [p.code for p in schema.check_span(Span(0, 4, "FRAME"))]
['unknown-label']
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Literal

import attrs

from biaskit.errors import Problem
from biaskit.model import AttributeValue, Span

__all__ = ["AttributeSpec", "AttributeType", "LabelSpec", "Schema"]

AttributeType = Literal["string", "integer", "number", "boolean"]

_TYPES: dict[str, tuple[type, ...]] = {
    "string": (str,),
    "integer": (int,),
    "number": (int, float),
    "boolean": (bool,),
}
_COLOR = re.compile(r"#[0-9a-fA-F]{6}")
# Commas too: PTC technique names are "Name_Calling,Labeling" and the like.
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.,-]*")


def _name(_instance: object, attribute: attrs.Attribute[str], value: object) -> None:
    if not isinstance(value, str) or not _NAME.fullmatch(value):
        raise ValueError(
            f"{attribute.name} must be a name of letters, digits, '_', '.', ',' or '-' "
            f"starting with a letter or '_', not {value!r}"
        )


def _type_ok(value: object, type_: str) -> bool:
    if type_ != "boolean" and isinstance(value, bool):
        return False
    return isinstance(value, _TYPES[type_])


def _show(values: Iterable[AttributeValue]) -> str:
    return ", ".join(repr(v) for v in values)


def _optional_tuple(
    values: Iterable[AttributeValue] | None,
) -> tuple[AttributeValue, ...] | None:
    return None if values is None else tuple(values)


@attrs.frozen
class AttributeSpec:
    """An attribute a label may carry, its type and (optionally) its allowed values.

    Parameters
    ----------
    name : str
        Attribute name, for example ``"register"``.
    type : {"string", "integer", "number", "boolean"}
        The JSON type of its values.
    values : tuple or None
        The allowed values; None allows any value of the type.
    required : bool
        Whether every span of the label must carry it.
    description : str
        What it records, for the codebook.
    """

    name: str = attrs.field(validator=_name)
    type: AttributeType = attrs.field(default="string", kw_only=True)
    values: tuple[AttributeValue, ...] | None = attrs.field(
        default=None, converter=_optional_tuple, kw_only=True
    )
    required: bool = attrs.field(default=False, kw_only=True)
    description: str = attrs.field(default="", kw_only=True)

    @type.validator
    def _check_type(self, _attribute: attrs.Attribute[str], value: str) -> None:
        if value not in _TYPES:
            raise ValueError(f"attribute type must be one of {sorted(_TYPES)}, not {value!r}")

    @values.validator
    def _check_values(
        self, _attribute: attrs.Attribute[tuple[AttributeValue, ...] | None], value: object
    ) -> None:
        if value is None:
            return
        assert isinstance(value, tuple)
        if not value:
            raise ValueError(f"attribute {self.name!r} lists no allowed values; use None for any")
        for v in value:
            if not _type_ok(v, self.type):
                raise TypeError(
                    f"allowed value {v!r} of attribute {self.name!r} is not of type {self.type}"
                )
        if len(set(value)) != len(value):
            raise ValueError(f"attribute {self.name!r} lists a value twice")

    def check(self, label: str, value: AttributeValue) -> Problem | None:
        """Return a problem if ``value`` is not allowed, else None."""
        if not _type_ok(value, self.type):
            return Problem(
                f"attribute {self.name!r} of {label} must be of type {self.type}, "
                f"not {type(value).__name__} {value!r}",
                "attribute-value",
            )
        if self.values is not None and value not in self.values:
            return Problem(
                f"attribute {self.name!r} of {label} must be one of {_show(self.values)}, "
                f"not {value!r}",
                "attribute-value",
            )
        return None


def _attribute_tuple(specs: Iterable[AttributeSpec]) -> tuple[AttributeSpec, ...]:
    return tuple(specs)


def _unique_names(
    instance: object, attribute: attrs.Attribute[tuple[AttributeSpec, ...]], value: object
) -> None:
    assert isinstance(value, tuple)
    names = [spec.name for spec in value]
    seen: set[str] = set()
    for n in names:
        if n in seen:
            raise ValueError(f"{attribute.name} name {n!r} appears twice")
        seen.add(n)


@attrs.frozen
class LabelSpec:
    """One framing label of the schema.

    Parameters
    ----------
    name : str
        The label, written in spans; upper case by convention (``EVENT_TERM``).
    description : str
        Its one-paragraph definition (the codebook holds the full text).
    color : str
        Display colour, ``#rrggbb``.
    attributes : iterable of AttributeSpec
        The attributes it takes beyond the schema's common ones.
    """

    name: str = attrs.field(validator=_name)
    description: str = attrs.field(default="", kw_only=True)
    color: str = attrs.field(default="#999999", kw_only=True)
    attributes: tuple[AttributeSpec, ...] = attrs.field(
        default=(), converter=_attribute_tuple, validator=_unique_names, kw_only=True
    )

    @color.validator
    def _check_color(self, _attribute: attrs.Attribute[str], value: object) -> None:
        if not isinstance(value, str) or not _COLOR.fullmatch(value):
            raise ValueError(f"color of {self.name} must be '#rrggbb', not {value!r}")


def _label_tuple(specs: Iterable[LabelSpec]) -> tuple[LabelSpec, ...]:
    return tuple(specs)


@attrs.frozen
class Schema:
    """The label set of a corpus, with each label's attributes: the codebook as data.

    Parameters
    ----------
    name : str
        Name of the scheme, for example ``"biaskit-framing"``.
    version : str
        The codebook version this schema implements.
    labels : iterable of LabelSpec
        The labels, in display order.
    common_attributes : iterable of AttributeSpec
        Attributes every label may carry (``voice``, ``target``, ``origin``...);
        a label's own attribute of the same name takes precedence.
    description : str
        Free text about the scheme.
    """

    name: str = attrs.field(validator=_name)
    version: str = attrs.field()
    labels: tuple[LabelSpec, ...] = attrs.field(converter=_label_tuple, validator=_unique_names)
    common_attributes: tuple[AttributeSpec, ...] = attrs.field(
        default=(), converter=_attribute_tuple, validator=_unique_names, kw_only=True
    )
    description: str = attrs.field(default="", kw_only=True)
    _by_name: dict[str, LabelSpec] = attrs.field(init=False, eq=False, repr=False, hash=False)

    @version.validator
    def _check_version(self, _attribute: attrs.Attribute[str], value: object) -> None:
        if not isinstance(value, str) or not value.strip():
            raise ValueError(f"schema version must be a non-empty string, not {value!r}")

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "_by_name", {spec.name: spec for spec in self.labels})

    @property
    def label_names(self) -> tuple[str, ...]:
        """The label names, in schema order."""
        return tuple(spec.name for spec in self.labels)

    def label(self, name: str) -> LabelSpec:
        """Return the label called ``name``.

        Raises
        ------
        KeyError
            If the schema has no such label.
        """
        try:
            return self._by_name[name]
        except KeyError:
            raise KeyError(
                f"unknown label {name!r}; the schema has {', '.join(self.label_names)}"
            ) from None

    def __contains__(self, name: object) -> bool:
        return name in self._by_name

    def __iter__(self) -> Iterator[LabelSpec]:
        return iter(self.labels)

    def __len__(self) -> int:
        return len(self.labels)

    def attribute_specs(self, label: str) -> dict[str, AttributeSpec]:
        """Return the attributes ``label`` may carry, by name (common ones included)."""
        specs = {spec.name: spec for spec in self.common_attributes}
        specs.update({spec.name: spec for spec in self.label(label).attributes})
        return specs

    def check_span(self, span: Span) -> list[Problem]:
        """Return every way ``span`` breaks the schema (unlocated problems).

        Checks the label, unknown attributes, attribute types and values, and
        required attributes.
        """
        if span.label not in self._by_name:
            return [
                Problem(
                    f"unknown label {span.label!r}; expected one of {', '.join(self.label_names)}",
                    "unknown-label",
                )
            ]
        specs = self.attribute_specs(span.label)
        problems: list[Problem] = []
        for name, value in span.attributes.items():
            spec = specs.get(name)
            if spec is None:
                allowed = ", ".join(sorted(specs)) or "none"
                problems.append(
                    Problem(
                        f"unknown attribute {name!r} for {span.label}; allowed: {allowed}",
                        "unknown-attribute",
                    )
                )
                continue
            problem = spec.check(span.label, value)
            if problem is not None:
                problems.append(problem)
        for name, spec in specs.items():
            if spec.required and name not in span.attributes:
                problems.append(
                    Problem(
                        f"{span.label} requires attribute {name!r}",
                        "missing-attribute",
                    )
                )
        return problems
