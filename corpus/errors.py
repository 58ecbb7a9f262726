"""Domain errors raised by the services, each with a stable machine code and an HTTP status.

The API turns them into its one error shape; the browser views show their message.
"""

from __future__ import annotations

from typing import Any


class WorkbenchError(Exception):
    code = "error"
    status = 400

    def __init__(self, message: str, *, detail: dict[str, Any] | None = None):
        super().__init__(message)
        self.message = message
        self.detail = detail or {}


class InvalidInput(WorkbenchError):
    code = "validation_error"
    status = 400


class InvalidSpan(WorkbenchError):
    code = "invalid_span"
    status = 400


class InvalidTransition(WorkbenchError):
    code = "invalid_transition"
    status = 409


class ForbiddenAction(WorkbenchError):
    code = "forbidden_action"
    status = 403


class NotFound(WorkbenchError):
    code = "not_found"
    status = 404


class StaleVersion(WorkbenchError):
    """A write based on an old version: refused, never applied. Carries the current state."""

    code = "stale_version"
    status = 409


class SourceImportError(InvalidInput):
    """A source file that cannot be imported; the message says what and where."""
