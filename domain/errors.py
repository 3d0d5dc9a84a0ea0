"""Domain errors: a rejected command raises one of these and stores nothing.

Each carries a stable ``code`` so the voice layer can choose what to say without
parsing messages.
"""

from __future__ import annotations


class DomainError(Exception):
    code = "domain_error"


class NotEnrolled(DomainError):
    code = "not_enrolled"


class Erased(DomainError):
    """The person's data was erased while a command for them was under way (it loaded
    them before, and saves after): the command is refused and stores nothing."""

    code = "erased"


class InvalidRating(DomainError):
    """A mood, mastery or enjoyment rating outside 0–10."""

    code = "invalid_rating"


class InvalidDifficulty(DomainError):
    code = "invalid_difficulty"


class InvalidDate(DomainError):
    """A date or time that does not exist (30 February, 25:00)."""

    code = "invalid_date"


class InvalidChoice(DomainError):
    """A kind, life area, barrier or part of the day outside the vocabulary."""

    code = "invalid_choice"


class InvalidText(DomainError):
    """Free text that is empty or longer than a short name."""

    code = "invalid_text"


class UnknownActivity(DomainError):
    code = "unknown_activity"


class UnknownStep(DomainError):
    code = "unknown_step"


class NoStepToLog(DomainError):
    """Nothing pending today to mark done or not done."""

    code = "no_step_to_log"


class StepAlreadyDone(DomainError):
    code = "step_already_done"


class StepAlreadyLogged(DomainError):
    """A step already marked 'not today' (or done) cannot be marked 'not today' again."""

    code = "step_already_logged"


class DailyCapReached(DomainError):
    code = "daily_cap_reached"


class PlanNeedsMeaningfulStep(DomainError):
    """Urgent chores may not crowd out every value-linked step of a plan."""

    code = "plan_needs_meaningful_step"


class CannotMakeSmaller(DomainError):
    code = "cannot_make_smaller"


class ViewsCatchingUp(DomainError):
    """The views are further behind the events than a query may catch up in one go
    (a rebuild is under way): nothing was refused or lost, ask again shortly."""

    code = "views_catching_up"
