"""The review workflow: the one table of status transitions, and who may take each action.

    draft     --submit--> submitted --approve (editor, four-eyes)--> approved
    rejected  --submit--> submitted --reject (editor, reason)------> rejected
    approved  --reopen (editor)--> submitted
    edit: draft -> draft, rejected -> draft, submitted -> submitted, approved -> submitted (editors only)

The write kernel applies it; exports, filters and templates read the status order and the allowed
actions from here (templates through ``permissions``/``offered_actions``), never from a copy.
A ``CHECK`` constraint on ``corpus_translation.status`` holds the same set of values.
"""

from __future__ import annotations

from collections.abc import Callable

from corpus import permissions
from corpus.models import Revision, Translation
from corpus.permissions import Decision

Status = Translation.Status
Action = Revision.Action

# (status, action) -> new status. An action absent for a status is not allowed from it.
TRANSITIONS: dict[tuple[str, str], str] = {
    (Status.DRAFT, Action.EDIT): Status.DRAFT,
    (Status.REJECTED, Action.EDIT): Status.DRAFT,
    (Status.SUBMITTED, Action.EDIT): Status.SUBMITTED,
    (Status.APPROVED, Action.EDIT): Status.SUBMITTED,
    (Status.DRAFT, Action.SUBMIT): Status.SUBMITTED,
    (Status.REJECTED, Action.SUBMIT): Status.SUBMITTED,
    (Status.SUBMITTED, Action.APPROVE): Status.APPROVED,
    (Status.SUBMITTED, Action.REJECT): Status.REJECTED,
    (Status.APPROVED, Action.REOPEN): Status.SUBMITTED,
}

# Who may take an action on a translation (the rules themselves live in corpus.permissions).
WHO: dict[str, Callable[[object, Translation], Decision]] = {
    Action.EDIT: permissions.can_edit,
    Action.SUBMIT: permissions.can_submit,
    Action.APPROVE: permissions.can_approve,
    Action.REJECT: lambda user, t: permissions.can_review(user, t.language),
    Action.REOPEN: lambda user, t: permissions.can_review(user, t.language),
}

# From least to most reviewed: the order of filters, progress bars and exports.
STATUS_ORDER: tuple[str, ...] = Translation.REVIEW_ORDER
STATUSES = frozenset(STATUS_ORDER)

# What an alignment may replace without being asked; submitted text needs an explicit choice, and
# approved text is never replaced (it is a fixed anchor).
REPLACEABLE = frozenset({Status.DRAFT, Status.REJECTED})
REPLACEABLE_WHEN_ASKED = REPLACEABLE | {Status.SUBMITTED}


# Checked before the version: the role for the action and the language (a 403 that re-reading
# cannot fix). The full rule (WHO) is checked after the version and the transition.
GATE: dict[str, Callable[[object, str], Decision]] = {
    Action.EDIT: permissions.can_work_in,
    Action.SUBMIT: permissions.can_work_in,
    Action.APPROVE: permissions.can_review,
    Action.REJECT: permissions.can_review,
    Action.REOPEN: permissions.can_review,
}


def gate(user, action: str, language: str) -> Decision:
    return GATE[action](user, language)


def refusal(status: str, action: str) -> str:
    """Why ``action`` cannot be taken from ``status``: the message of an invalid transition."""
    allowed = sorted(str(s) for (s, a) in TRANSITIONS if a == action)
    if len(allowed) == 1:
        return f"Only {allowed[0]} translations can be {_past(action)}; this one is {status}."
    return f"A {status} translation cannot be {_past(action)}."


def next_status(status: str, action: str) -> str | None:
    return TRANSITIONS.get((status, action))


def may(user, action: str, translation: Translation) -> Decision:
    """May ``user`` take ``action`` on ``translation`` now (its status allows it and the role does)?"""
    if next_status(translation.status, action) is None:
        return permissions.deny(refusal(translation.status, action))
    return WHO[action](user, translation)


# The review actions a cell offers, with their names as the templates read them.
OFFERED = tuple(
    (str(action), action)
    for action in (Action.EDIT, Action.SUBMIT, Action.APPROVE, Action.REJECT, Action.REOPEN)
)


def offered_actions(user, translation: Translation | None) -> dict[str, bool]:
    """The review actions to offer on a cell: templates read these instead of restating rules.
    ``bool(may(...))`` for each, without building the refusal messages nobody reads (a page of rows
    asks this 200 times)."""
    if translation is None:
        return {}
    status = translation.status
    return {
        name: next_status(status, action) is not None and bool(WHO[action](user, translation))
        for name, action in OFFERED
    }


def _past(action: str) -> str:
    return {
        Action.EDIT: "edited",
        Action.SUBMIT: "submitted",
        Action.APPROVE: "approved",
        Action.REJECT: "rejected",
        Action.REOPEN: "reopened",
    }.get(action, action)
