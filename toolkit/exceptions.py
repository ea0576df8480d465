"""Every error the toolkit raises on purpose, under one base class."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input: where, what, the principle at stake, what to do."""

    path: str
    message: str
    principle: int | None = None
    hint: str = ""

    def describe(self) -> str:
        """Return the problem as one line a lawyer can act on."""
        from toolkit.principles import PRINCIPLES

        text = f"{self.path}: {self.message}" if self.path else self.message
        if self.principle:
            text += f" [principle {self.principle}: {PRINCIPLES[self.principle]}]"
        if self.hint:
            text += f" {self.hint}"
        return text

    def as_dict(self) -> dict:
        """Return the problem as a JSON-ready mapping."""
        return {
            "path": self.path,
            "message": self.message,
            "principle": self.principle,
            "hint": self.hint,
        }


class ToolkitError(Exception):
    """Base class of every error the toolkit raises deliberately."""


class ProblemsError(ToolkitError):
    """Base class of errors that carry a list of problems found in one file."""

    kind = "input"

    def __init__(self, source: str, problems: list[Problem]):
        self.source = source
        self.problems = list(problems)
        super().__init__(self.summary())

    def summary(self) -> str:
        """Return a headline naming the file and how many problems it has."""
        count = len(self.problems)
        noun = "problem" if count == 1 else "problems"
        return f"{self.source}: {count} {noun} in the {self.kind}"

    def __str__(self) -> str:
        lines = [self.summary() + ":"]
        lines += [f"  - {problem.describe()}" for problem in self.problems]
        return "\n".join(lines)


class SpecError(ProblemsError):
    """Raised when a deal spec breaks the schema or a principle."""

    kind = "deal spec"


class LibraryError(ProblemsError):
    """Raised when a clause file, model file or template in the library is unusable."""

    kind = "library"


class GuaranteeError(ProblemsError):
    """Raised when an assembled contract would lack, or lacks, a mandatory clause."""

    kind = "contract"


class UnknownIdError(ToolkitError):
    """Raised when a partnership model or clause id names nothing in the library."""

    def __init__(self, source: str, problem: Problem):
        self.source = source
        self.problems = [problem]
        super().__init__(problem.message + (f" {problem.hint}" if problem.hint else ""))


class ScenarioError(ProblemsError):
    """Raised when a scenarios file is unreadable, breaks its schema or does not fit the deal."""

    kind = "scenarios file"


class RenderError(ToolkitError):
    """Raised when a clause's text cannot be rendered for a deal."""


class OutputError(ToolkitError):
    """Raised when the contract cannot be written where it was asked to go."""


class RegisterError(ToolkitError):
    """Raised when the register of issued contracts cannot be opened, read or written."""


class ConversionError(ToolkitError):
    """Raised when LibreOffice is missing or fails to convert a contract to PDF."""


class ContractReadError(ToolkitError):
    """Raised when a .docx cannot be read back as a contract."""
