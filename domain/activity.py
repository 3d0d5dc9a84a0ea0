"""One activity's fields as a step, a view row and a suggestion carry them.

The `Activity` type itself (key, title, kind, area, difficulty, minutes, the
smaller version, the value it serves) is the catalogue's. Here is the one list
of what a scheduled step copies from it, plus whether it is linked to a value the
person named; `activity_fields` builds them, and every place that carries an
activity's fields (Week's StepScheduled and StepSwapped events, Step, StepView,
Suggestion, the step views) takes them from here.
"""

from __future__ import annotations

from typing import Any

from domain.catalogue import Activity

ACTIVITY_FIELDS = ("activity_id", "title", "kind", "area", "value_linked", "difficulty",
                   "minutes", "smaller", "smaller_minutes")


def activity_fields(activity: Activity, value_linked: bool) -> dict[str, Any]:
    """The fields of ACTIVITY_FIELDS for `activity`, by name."""
    return {
        "activity_id": activity.key,
        "title": activity.title,
        "kind": activity.kind,
        "area": activity.area,
        "value_linked": value_linked,
        "difficulty": activity.difficulty,
        "minutes": activity.minutes,
        "smaller": activity.smaller,
        "smaller_minutes": activity.smaller_minutes,
    }


def pick_activity_fields(source: Any) -> dict[str, Any]:
    """The fields of ACTIVITY_FIELDS from a mapping (an event's arguments, a view row)."""
    return {name: source[name] for name in ACTIVITY_FIELDS}
