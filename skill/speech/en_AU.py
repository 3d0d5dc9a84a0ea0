"""Australian English: the British master (`en_GB`), with a friendlier hello."""

from __future__ import annotations

from skill.speech import en_GB

LOCALE = "en-AU"
TEXT = {
    **en_GB.TEXT,
    "welcome_step": (
        "Hi again. Today's small step is {title}{after_today}. Does that feel doable?",
        "Does {title} feel doable today? You can say yes, or ask for something smaller.",
    ),
    "welcome_suggest": (
        "Hi again. Here's one for today: {title}, about {minutes}. Shall I add it?",
        "Shall I add {title} for today?",
    ),
    "welcome_all_done": (
        "Hi again. You've done {steps_done} today. Would you like to tell me your mood?",
        "How do you feel right now, from zero to ten? Or say no thanks.",
    ),
}
