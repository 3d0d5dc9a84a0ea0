"""Moved to skill.conversation.safety; skill.speech and its tests still import it from here."""
from skill.conversation.safety import crisis_line, crisis_lines, is_crisis_language  # noqa: F401
