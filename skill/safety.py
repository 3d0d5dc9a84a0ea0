"""Moved to skill.conversation.safety (skill.speech still imports it from here)."""
from skill.conversation.safety import CrisisLine, crisis_line, crisis_lines, is_crisis_language, normalise  # noqa: F401
