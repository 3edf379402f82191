"""Problems found in annotation files, and the exceptions that carry them.

A :class:`Problem` is one finding of a check, located in a file (path, line,
column) and printed in the GNU shape that editors and CI logs link::

    spans/alice.jsonl:12:7: error: span end 240 is past the end of the text (211) [offset-range]

Validation returns a list of problems; loading raises one
:class:`AnnotationError` that holds all of them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Literal

import attrs

__all__ = [
    "AnnotationError",
    "BiaskitError",
    "OutputExistsError",
    "Problem",
    "Severity",
]

Severity = Literal["error", "warning"]


@attrs.frozen(order=False)
class Problem:
    """One finding of a check: what is wrong, how bad, and where.

    Parameters
    ----------
    message : str
        Lower-case sentence naming what was expected and what was found.
    code : str
        Stable identifier of the check, such as ``"offset-range"``.
    severity : {"error", "warning"}
        Errors make a file unusable; warnings point at likely mistakes.
    path : str or None
        The file the problem is in, as given by the caller.
    line, col : int or None
        1-based line and column within ``path``.

    Examples
    --------
    >>> p = Problem("unknown label 'FOO'", "unknown-label", path="a.jsonl", line=3, col=1)
    >>> print(p)
    a.jsonl:3:1: error: unknown label 'FOO' [unknown-label]
    >>> print(Problem("no text hash", "missing-field", severity="warning"))
    <input>: warning: no text hash [missing-field]
    """

    message: str
    code: str
    severity: Severity = attrs.field(default="error")
    path: str | None = None
    line: int | None = None
    col: int | None = None

    @severity.validator
    def _check_severity(self, _attribute: attrs.Attribute[Severity], value: str) -> None:
        if value not in ("error", "warning"):
            raise ValueError(f"severity must be 'error' or 'warning', not {value!r}")

    @property
    def is_error(self) -> bool:
        """Whether this problem is an error (not a warning)."""
        return self.severity == "error"

    def located(self, path: str | None, line: int | None = None, col: int | None = None) -> Problem:
        """Return a copy placed at ``path:line:col`` (keeping any location already known)."""
        return attrs.evolve(
            self,
            path=self.path if self.path is not None else path,
            line=self.line if self.line is not None else line,
            col=self.col if self.col is not None else col,
        )

    def location(self) -> str:
        """Return ``path:line:col`` with the parts that are known."""
        where = self.path if self.path is not None else "<input>"
        if self.line is not None:
            where += f":{self.line}"
            if self.col is not None:
                where += f":{self.col}"
        return where

    def to_dict(self) -> dict[str, str | int | None]:
        """Return the problem as a JSON-ready mapping (for ``--format json``)."""
        return {
            "path": self.path,
            "line": self.line,
            "col": self.col,
            "severity": self.severity,
            "code": self.code,
            "message": self.message,
        }

    def __str__(self) -> str:
        return f"{self.location()}: {self.severity}: {self.message} [{self.code}]"


class BiaskitError(Exception):
    """Base class of every error biaskit raises on purpose."""


class OutputExistsError(BiaskitError, FileExistsError):
    """A write would replace existing files and overwriting was not asked for."""


class AnnotationError(BiaskitError, ValueError):
    """Annotation data that cannot be used; holds every problem found.

    Examples
    --------
    >>> err = AnnotationError([Problem("bad", "x", path="f", line=2, col=1)])
    >>> print(err)
    f:2:1: error: bad [x]
    >>> err.problems[0].line
    2
    """

    def __init__(self, problems: Iterable[Problem], summary: str | None = None) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        self.summary = summary
        super().__init__(str(self))

    @property
    def errors(self) -> Sequence[Problem]:
        """The problems of severity ``error``."""
        return [p for p in self.problems if p.is_error]

    def __str__(self) -> str:
        lines = [self.summary] if self.summary else []
        lines.extend(str(p) for p in self.problems)
        return "\n".join(lines) if lines else "invalid annotation data"

    def __reduce__(self) -> tuple[type[AnnotationError], tuple[tuple[Problem, ...], str | None]]:
        return (type(self), (self.problems, self.summary))
