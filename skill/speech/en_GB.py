"""Everything Small Steps says in British English: the master text every locale starts from.

`TEXT` maps a key to a turn: a string (the skill says it and waits, or ends) or a pair
(speech, reprompt) for turns that leave the session open. `{fields}` are filled by the
handlers; everything is escaped for SSML after filling, so user words are safe.

House rules (tested in tests/skill/test_speech.py for every locale):
- one idea and at most one question per turn; core turns at most 35 spoken words;
- never "failed", "missed", "behind", "should", no streaks: a step not done is "not today";
- no diagnosis, no medical advice; help and the first-run introduction say this is a
  self-help tool, not a substitute for professional care, and how to reach help.
"""

from __future__ import annotations

LOCALE = "en-GB"

# Pieces of turns (filled into other turns, or card titles), not turns of their own.
FRAGMENTS = {
    "rate_enjoyment", "rate_mastery", "lift_up", "lift_same", "lift_down", "lift_none",
    "summary_card", "summary_card_title", "today_card_title", "crisis_card_title", "crisis_card",
    "crisis_card_local", "crisis_card_text", "crisis_text", "reach", "reach_local",
    "help_here", "reask",
    "this_week", "last_week", "sign_no_steps_for_days", "sign_mood_falling", "sign_not_started",
}
FRAGMENT_PREFIXES = ("barrier_", "summary_", "observe_", "adjust_")

# Turns allowed to run longer than the 35-word core limit, with their own bound.
LONG_TURNS = {
    "intro": 55,  # the first run: what BA is, the care line, how to reach help, an offer
    "help": 55,
    "summary": 75,  # under 30 seconds of speech
    "summary_card": 120,
}

# A low mood's turns, with the sentence naming help (said once a session); each has a
# twin, "<key>_again", without it.
LOW_HELP = "Say 'I need support now' if you need someone."
LOW_MOOD: dict[str, str | tuple[str, str]] = {
    "mood_low_smaller": (
        "Thanks for telling me; a {mood} sounds hard. " + LOW_HELP + " Your step could "
        "be just {smaller}. Want that?",
        "Would {smaller} feel more doable today?",
    ),
    "mood_low_step": (
        "Thanks for telling me; a {mood} sounds hard. " + LOW_HELP + " Your step is "
        "already tiny: {title}. Does that feel doable?",
        "Does {title} feel doable today?",
    ),
    "mood_low_suggest": (
        "Thanks for telling me; a {mood} sounds hard. " + LOW_HELP + " A tiny step could "
        "help: {title}. Shall I add it?",
        "Shall I add {title} for today?",
    ),
    "mood_low_rest": ("Thanks for telling me; a {mood} sounds hard. " + LOW_HELP +
                      " There's nothing more you need to do today. Take good care."),
    "mood_after_low_smaller": (
        "Thank you, that's a {mood}, and you did it. " + LOW_HELP + " Your next one "
        "could be {smaller}. Want that?",
        "Would {smaller} feel more doable?",
    ),
    "mood_after_low": ("Thank you, that's a {mood}. That sounds hard, and you still did it. "
                       + LOW_HELP + " Take good care."),
    # A low feeling said by itself ("I feel rubbish"): warmth, help once, a number offered.
    "feeling_low": (
        "Thanks for telling me. That sounds hard. " + LOW_HELP + " Would you like to give "
        "it a number from zero to ten?",
        "Would you like to give your mood a number from zero to ten? You can say no thanks.",
    ),
}


def _without_help(turn: str | tuple[str, str]) -> str | tuple[str, str]:
    if isinstance(turn, tuple):
        return (turn[0].replace(" " + LOW_HELP, ""), turn[1])
    return turn.replace(" " + LOW_HELP, "")


TEXT: dict[str, str | tuple[str, str]] = {
    # -- launch -------------------------------------------------------------------------
    "intro": (
        "Welcome to Small Steps. Doing small things that matter to you, and noticing how "
        "you feel afterwards, can lift your mood. I'm a self-help tool, not a substitute for "
        "professional care; for urgent help, say 'I need support now'. Shall we start with "
        "{title}?",
        "Would you like to start with {title}? Just say yes or no.",
    ),
    "welcome_step": (
        "Hello again. Today's small step is {title}{after_today}. Does that feel doable?",
        "Does {title} feel doable today? You can say yes, or ask for something smaller.",
    ),
    "welcome_suggest": (
        "Hello again. Here's one for today: {title}, about {minutes}. Shall I add it?",
        "Shall I add {title} for today?",
    ),
    "welcome_all_done": (
        "Hello again. You've done {steps_done} today. Would you like to tell me your mood?",
        "How do you feel right now, from zero to ten? Or say no thanks.",
    ),
    "welcome_back": (
        "It's good to hear from you. Let's pick one small step, nice and easy: {title}. "
        "Shall I add it for today?",
        "Shall I add {title} for today? Just say yes or no.",
    ),
    # -- today's step -------------------------------------------------------------------
    "today_step": (
        "Your small step today is {title}{after_today}. It takes about {minutes}. "
        "Does that feel doable?",
        "Does {title} feel doable? You can say yes, or ask for something smaller.",
    ),
    "today_suggest": (
        "Here's one: {title}, about {minutes}. Shall I add it for today?",
        "Shall I add {title} for today?",
    ),
    "today_all_done": (
        "You've done everything planned for today. Would you like one more small step?",
        "Would you like one more small step today?",
    ),
    "today_full": "Today already has three steps, which is plenty. Tell me when you've done one.",
    "step_doable": "Good. Tell me when you've done it, and we'll notice how you feel.",
    "step_added": "Added: {title}, {when}. Tell me when it's done.",
    "something_else": (
        "Here's another: {title}, about {minutes}. Shall I add it for today?",
        "Shall I add {title} for today?",
    ),
    "nothing_else": (
        "That's all my ideas for now. You can add your own, like 'add a walk on Thursday'."
    ),
    "made_smaller": "Okay, smaller: {smaller}. About {minutes}. It's on for {when}.",
    "already_smallest": (
        "That's already its smallest version. Would you like something else instead?",
        "Would you like a different small step?",
    ),
    "no_step_today": (
        "There's no step waiting today. Would you like a small one?",
        "Would you like a small step for today?",
    ),
    # -- logging ------------------------------------------------------------------------
    "done_ask_mood": (
        "{done}. How do you feel now, from zero to ten?",
        "From zero to ten, how do you feel right now?",
    ),
    "which_step_done": (
        "Which step did you do? For example, say 'I made my bed'.",
        "Which step did you do?",
    ),
    "which_step_done_named": (
        "Which step did you do: {steps}?",
        "Which step did you do: {steps}?",
    ),
    "which_step_not_today": (
        "Which step wasn't today? For example, say 'I couldn't do the walk'.",
        "Which step wasn't today?",
    ),
    "which_step_not_today_named": (
        "That's okay. Which step wasn't today: {steps}?",
        "Which step wasn't today: {steps}?",
    ),
    "which_nothing_logged": "Okay, I haven't logged anything. Tell me when you've done a step.",
    "not_logged": (
        "Thanks for telling me. I didn't log anything just now. You can ask for a "
        "smaller step, or say 'I need support now' if things feel too much.",
        "You can ask for a smaller step, or say 'I need support now'.",
    ),
    "not_followed_end": (
        "Sorry, I'm not following just now. Let's leave it there; open Small Steps whenever "
        "you like, or say 'I need support now' if things feel too much."
    ),
    "not_logged_yesterday": (
        "Thanks for telling me. I can only log today's steps for now, so I haven't logged "
        "that as today's."
    ),
    # A feeling said by itself, with no question open ("I feel okay", "a bit better"):
    # thanked for, and a number offered, not asked for (a "no" leaves it).
    "feeling_noted": (
        "Thanks for telling me. Would you like to give it a number from zero to ten?",
        "Would you like to give your mood a number from zero to ten? You can say no thanks.",
    ),
    # A feeling, or not knowing, in answer to the mood question after a step.
    "mood_feeling": (
        "That's okay, a number isn't needed. You can give me one from zero to ten, or say "
        "'I need support now' if things feel too much.",
        "You can give me a number from zero to ten, or say no thanks.",
    ),
    "already_done": "You've already logged {title} today. Nice work.",
    "mood_after": "Thank you, that's a {mood}. {lift}",
    "mood_after_rate": (
        "Thank you, that's a {mood}. {lift} {rating_question}",
        "{rating_question}",
    ),
    "rate_enjoyment": "How much did you enjoy it, from zero to ten? Or say no thanks.",
    "rate_mastery": "How much did it feel like an achievement, from zero to ten? Or say no thanks.",
    "lift_up": "That's up from {before} before.",
    "lift_same": "The same as before you started, and you did it anyway.",
    "lift_down": "Noted. Some steps pay off later.",
    "lift_none": "Noticing how you feel is part of this.",
    "rating_thanks": "Thanks, noted. Well done today.",
    "rating_skipped": "That's fine. Well done today.",
    "mood_skipped": "That's fine, no number needed. Well done today.",
    "stopped_not_today": "Okay, that one's not today, and that's fine. Take care.",
    "not_done_ask_barrier": (
        "That's okay, not today. What got in the way?",
        "What got in the way? For example, tired, busy or anxious.",
    ),
    "confirm_not_today": (
        "That sounds like it got in the way. Shall I leave {title} for another day?",
        "Shall I leave {title} for another day?",
    ),
    "kept_for_today": "Okay, {title} stays on today's plan. Tell me when it's done.",
    "not_done_offer_smaller": (
        "Thanks for telling me. {barrier_line} Would a smaller version help: {smaller}?",
        "Would the smaller version help: {smaller}?",
    ),
    "not_done_offer_time": (
        "Thanks for telling me. {barrier_line} Would another time suit better, like {when}?",
        "Shall I move it to {when}?",
    ),
    "offer_time": (
        "Okay. Would another time suit better, like {when}?",
        "Shall I move it to {when}?",
    ),
    "already_not_today": "That one's already marked not today, and that's okay.",
    "plan_is_a_map": "That's fine. The plan is a map, not a contract. Be gentle with yourself.",
    "barrier_tired": "Low energy is real.",
    "barrier_no_time": "Busy days happen.",
    "barrier_forgot": "Forgetting happens to everyone.",
    "barrier_anxious": "Anxiety can make things feel bigger.",
    "barrier_weather": "The weather doesn't always help.",
    "barrier_other": "Setbacks are useful information.",
    "barrier_not_caught": "I didn't catch all of that, and that's okay.",
    "barrier_none": "You don't need a reason.",
    # "I'm too tired" to an offer of a new step: nothing added, no reason recorded.
    "barrier_instead": "That's okay, nothing added. When you feel ready, ask me for a smaller step.",
    # -- mood ---------------------------------------------------------------------------
    "mood_ask": (
        "From zero to ten, how do you feel right now?",
        "How do you feel right now, from zero to ten?",
    ),
    "mood_not_heard": (
        "Sorry, I didn't catch the number. From zero to ten, how do you feel right now?",
        "From zero to ten, how do you feel right now?",
    ),
    "mood_invalid": (
        "Any number from zero to ten is fine. How do you feel right now?",
        "Just a number from zero to ten. How do you feel right now?",
    ),
    "mood_noted": (
        "Thanks, a {mood}, noted. Would you like a small step to go with it?",
        "Would you like a small step?",
    ),
    "rating_invalid": (
        "Any number from zero to ten is fine, or say no thanks.",
        "A number from zero to ten, or no thanks.",
    ),
    # -- planning -----------------------------------------------------------------------
    "schedule_done": "Added: {title}, {when}.",
    "schedule_unknown_activity": (
        "I don't know that one yet. You could try a walk, a message to a friend, or making "
        "your bed. What would you like to add?",
        "What would you like to add?",
    ),
    "schedule_past": (
        "That day has already gone. Which day would you like?",
        "Which day would you like?",
    ),
    "cap_reached": (
        "{day_name} already has three steps, which is plenty. Which other day would suit?",
        "Which other day would suit?",
    ),
    "plan_offer": (
        "Here's a plan: {plan}. Shall I add them?",
        "Shall I add those {count} steps to your week?",
    ),
    "plan_offer_one": (
        "Here's a plan: {plan}. Shall I add it?",
        "Shall I add that step to your week?",
    ),
    "plan_done": "Done, those {count} steps are in your week. The plan is a map, not a contract.",
    "plan_done_one": "Done, it's in your week. The plan is a map, not a contract.",
    "plan_declined": "Okay. You can add steps one at a time, like 'add a walk on Thursday'.",
    "plan_full": "Your week already has plenty in it. Tell me when you've done a step.",
    "move_done": "Moved: {title}, now {when}.",
    "move_when": (
        "When would suit better? For example, say 'move it to Friday morning'.",
        "When would suit better?",
    ),
    "kept_as_is": "Okay, it stays as it is.",
    "schedule_dropped": "Okay, nothing added.",
    "move_nothing": "There's no step to move today. You can add one, like 'add a walk on Thursday'.",
    "swap_done": "Swapped. Now it's {title}, {when}.",
    "swap_which": (
        "What would you like instead? For example, say 'swap it for a walk'.",
        "What would you like instead?",
    ),
    "pair_done": "Good idea. {title} now comes after {routine}.",
    "pair_which": (
        "Which routine would you like to pair it with? For example, 'after breakfast'.",
        "Which routine would you like to pair it with?",
    ),
    "changed_done_step": "That one's already done, so it stays as it is. Nice work.",
    # -- weekly summary -----------------------------------------------------------------
    "summary": "{opening} {mood} {observation} {adjustment}",
    "summary_card": "{lines}",
    "summary_empty": (
        "There's nothing logged for {which} yet. Shall we plan two or three small steps?",
        "Shall we plan a few small steps for this week?",
    ),
    "summary_done_of": "{which_cap}, you did {done} of {planned} planned steps.",
    "summary_done_of_extra": "{which_cap}, you did {done} of {planned} planned steps, plus {extra} extra.",
    "summary_done_only": "{which_cap}, you did {done} small steps.",
    "summary_done_only_one": "{which_cap}, you did one small step.",
    "summary_done_one": "{which_cap}, you did your one planned step.",
    "summary_done_one_extra": "{which_cap}, you did your one planned step, plus {extra} extra.",
    "summary_none_done": "{which_cap}, you planned {planned} steps and none happened yet, which is okay.",
    "summary_none_done_one": "{which_cap}, you planned one step and it hasn't happened yet, which is okay.",
    "summary_mood": "Your mood averaged {mood}.",
    "summary_mood_up": "Your mood averaged {mood}, up from {previous}.",
    "summary_mood_level": "Your mood averaged {mood}, about the same as the week before.",
    "summary_mood_down": "Your mood averaged {mood}; the week before it was {previous}.",
    "summary_no_mood": "",
    "observe_lift": "{title} lifted your mood most, by {lift} points.",
    "observe_social": "You made time for other people, which really counts.",
    "observe_mix": "You mixed different kinds of steps, which helps.",
    "observe_done": "Every one of those steps counts.",
    "observe_barriers": "Knowing what got in the way is useful: {barrier} came up most.",
    "observe_start": "Starting is the hardest part, and you're here.",
    "adjust_make_smaller": "Next week, try a smaller version of {title}.",
    "adjust_change_time": "Next week, {title} might fit better at another time of day.",
    "adjust_pair_with_routine": "Next week, try pairing {title} with something you already do.",
    "adjust_add_companion": "Next week, {title} might be easier with company.",
    "adjust_swap": "Next week, maybe swap {title} for something lighter.",
    "adjust_add_social": "Next week, maybe add one small step with another person.",
    "adjust_keep_going": "Next week, keep the same gentle rhythm.",
    "adjust_plan_one": "Next week, let's plan one small step together.",
    "this_week": "this week",
    "last_week": "last week",
    "summary_card_title": "Your week",
    "today_card_title": "Today's small step",
    # -- values and relapse prevention ---------------------------------------------------
    "value_named": "Thank you. {value} matters to you, so I'll lean towards {area} steps.",
    "value_which_area": (
        "Thank you. Is {value} mostly about people, work, fun, health or home?",
        "Is that mostly about people, work, fun, health or home?",
    ),
    "value_ask": (
        "What matters to you? For example, 'what matters to me is being a good friend'.",
        "What matters to you?",
    ),
    "relapse_plan": "For harder days: if {signs}, try {boosters}, or just say 'let's pick one small step'.",
    "relapse_offer": (
        "Let's make a plan for harder days. If a few days pass without steps, or your mood "
        "dips, I'll suggest {boosters}. Shall I save that?",
        "Shall I save that plan for harder days?",
    ),
    "relapse_saved": "Saved. If things get harder, just say 'let's pick one small step'.",
    "value_unsaid": "Okay, nothing saved. You can tell me what matters to you any time.",
    "relapse_declined": "Okay, nothing saved. You can ask again any time.",
    "sign_no_steps_for_days": "a few days pass without steps",
    "sign_mood_falling": "your mood dips",
    "sign_not_started": "it's hard to get started",
    # -- privacy ------------------------------------------------------------------------
    "delete_confirm": (
        "This removes everything Small Steps has stored about you, and it can't be undone. "
        "Shall I delete it?",
        "Shall I delete everything Small Steps has stored about you? Yes or no.",
    ),
    "delete_done": "Done. Everything Small Steps stored about you has been deleted. Take care.",
    "delete_kept": "Okay, nothing has been deleted.",
    "delete_nothing": "There's nothing stored about you, so there's nothing to delete.",
    "pin_ask": (
        "Your summary is private. What's your four-digit PIN?",
        "What's your four-digit PIN?",
    ),
    "pin_wrong": (
        "That doesn't match. What's your four-digit PIN?",
        "What's your four-digit PIN?",
    ),
    "pin_locked": "That doesn't match either, so I'll keep your summary private for now.",
    "pin_set_ask": (
        "Which four digits would you like as your PIN?",
        "Which four digits would you like?",
    ),
    "pin_invalid": (
        "A PIN is four digits, like one two three four. Which four digits would you like?",
        "Which four digits would you like?",
    ),
    "pin_current_ask": (
        "You have a PIN already. First, what's your current PIN?",
        "What's your current four-digit PIN? If you've forgotten it, just say no.",
    ),
    "delete_pin_ask": (
        "Your data is private. What's your four-digit PIN?",
        "What's your four-digit PIN? If you've forgotten it, just say no.",
    ),
    "pin_paused": "Let's leave that for now; you can try again in a little while.",
    "pin_forgotten": (
        "That's okay; the PIN stays as it is. To start again without it, the account holder "
        "can disable Small Steps in the Alexa app: that deletes what's stored here, for everyone."
    ),
    # Words, not digits, at the PIN question: not a try; asked once more.
    "pin_not_heard": (
        "I didn't catch a PIN. What's your four-digit PIN? If you've forgotten it, just say no.",
        "What's your four-digit PIN? If you've forgotten it, just say no.",
    ),
    # Someone else spoke while a question for another person was open: it is let go,
    # and nothing of theirs is asked again.
    "speaker_changed": (
        "Sorry, I'm not sure who's speaking now, so I've let that question go. What would "
        "you like to do?",
        "You can ask for today's small step, or say stop.",
    ),
    "pin_not_set": "Okay, no PIN set.",
    # A new PIN is said twice: a misheard one would lock the person out.
    "pin_repeat_ask": (
        "Could you say those four digits once more, so I know I heard them right?",
        "Say your new four-digit PIN once more.",
    ),
    "pin_repeat_differs": (
        "Those weren't the same four digits, so no PIN is set yet. Which four digits would "
        "you like?",
        "Which four digits would you like?",
    ),
    "pin_kept_private": "Okay, your summary stays private for now.",
    "pin_set": (
        "Done. Your summary now needs your PIN, unless Alexa recognises your voice."
    ),
    # -- safety -------------------------------------------------------------------------
    "crisis": (
        "I'm glad you told me, you're not alone. Please {how} {line} on {number} now, "
        "or {emergency} in an emergency. Shall I say it again?",
        "You can reach {line} on {number}, any time. Shall I say it again?",
    ),
    "crisis_stay": (
        "{line}: {number}, any time, day or night. {text_line} You can say stop when "
        "you're ready.",
        "You can reach {line} on {number}, any time.",
    ),
    "safety_check": (
        "It sounded like things might be very hard. Are you safe right now?",
        "Are you safe right now?",
    ),
    "safety_ok": ("I'm glad. If things get too much, say 'I need support now', any time, "
                  "and I'll give you the number to call. Take care."),
    # Any other answer while the crisis holds: the line again, never a small step. Honest
    # about what a speaker can do: it cannot stay on the line; the line's people can.
    "crisis_again": (
        "I can't stay on the line like a person can; {line} can, any time. You can {how} "
        "them on {number}. Say stop when you're ready.",
        "You can reach {line} on {number}, any time.",
    ),
    "crisis_leave": "Okay. The number is in your Alexa app: {line}, {number}. Please reach out to them. Take care.",
    # The card goes to the account holder's Alexa app, which someone else may read: a
    # neutral title, and nothing but the numbers.
    "crisis_card_title": "Useful numbers",
    "crisis_card": "{line}: {number} ({how}), any time. {text_line} Emergency: {emergency}.",
    "crisis_card_text": "Or {text}.",
    # Where the line takes texts too: for people who cannot talk aloud.
    "crisis_text": "If talking is hard, you can {text}.",
    # Where help is, in a sentence, for the turns that are not the crisis answer.
    "reach": "You can {how} {line} on {number}, any time.",
    "reach_local": "You can call your local emergency number, or a crisis line where you are.",
    # Where the country's line is not known: never another country's number.
    "crisis_local": (
        "I'm glad you told me, you're not alone. Please call your local emergency number "
        "now, or a crisis line where you are. Shall I say it again?",
        "You can call your local emergency number, any time. Shall I say it again?",
    ),
    "crisis_stay_local": (
        "Please call your local emergency number, or a crisis line where you are. They're "
        "there any time. You can say stop when you're ready.",
        "You can call your local emergency number, any time.",
    ),
    "crisis_again_local": (
        "I'm still here, but I can't stay on the line like a person can. You can call "
        "your local emergency number, any time. Say stop when you're ready.",
        "You can call your local emergency number, any time.",
    ),
    "crisis_leave_local": ("Okay. Please call your local emergency number, or a crisis line "
                           "where you are. Take care."),
    "crisis_card_local": "Your local emergency number, or a crisis line where you are.",
    # Distress that is not crisis ("hopeless", "what's the point"): the step lifted off,
    # help named, no BA prompt.
    "distress": (
        "That sounds really heavy. You don't need to do a step now. {reach} Shall I say "
        "the number again?",
        "Shall I say the number again? Or you can say stop.",
    ),
    "distress_repeat": "{reach} There's nothing you need to do here now. Take good care.",
    "distress_leave": ("Okay. There's nothing you need to do here now. If things get too "
                       "much, say 'I need support now'. Take good care."),
    # The first opening in the 72 hours after the crisis line was given: a quiet check-in.
    "check_in": (
        "Hello. Last time things sounded very hard. Are you doing okay right now?",
        "Are you doing okay right now? You can say yes or no.",
    ),
    # The same behind the household guard (a PIN set, a speaker it does not exempt): asked
    # of whoever opens, so it says nothing of last time.
    "check_in_guarded": (
        "Hello. Before we start, are you doing okay right now?",
        "Are you doing okay right now? You can say yes or no.",
    ),
    "check_in_ok": (
        "I'm glad. We can go gently. Would you like to hear today's small step?",
        "Would you like to hear today's small step? You can say no.",
    ),
    # A low mood (3 or below), wherever it is given: warmth, the plan at its smallest (not
    # taken away), and, once a session, where help is. The "_again" turns (below) are
    # the same without the help sentence.
    **LOW_MOOD,
    **{key + "_again": _without_help(turn) for key, turn in LOW_MOOD.items()},
    # -- built-ins ----------------------------------------------------------------------
    "help": (
        "I help you plan small, meaningful steps and notice how they affect your mood. Try "
        "'what's my small step' or 'I did it'. I'm a self-help tool, not professional care. "
        "For urgent help, say 'I need support now'. What would you like?",
        "You can ask for today's small step, or say stop.",
    ),
    "fallback": (
        "Sorry, I didn't catch that. You can ask for today's small step, or tell me you did "
        "it. If you're struggling right now, say 'I need support now'.",
        "You can ask for today's small step, or say stop.",
    ),
    # Said before the open question again, which keeps its place.
    "help_here": (
        "I help you plan small steps and notice how you feel. I'm a self-help tool, not "
        "professional care; for urgent help, say 'I need support now'."
    ),
    "reask": "Sorry, I didn't quite follow.",
    "goodbye": "Take care. Small steps count.",
    "cancelled": "Okay. Take care.",
    "home": "Okay. See you soon.",
    "yes_nothing": (
        "Okay. You can ask for today's small step, or tell me how you feel.",
        "What would you like to do?",
    ),
    "no_nothing": "Okay. Take care.",
    "nothing_to_repeat": (
        "I haven't said anything yet. You can ask for today's small step.",
        "What would you like to do?",
    ),
    "error": "Sorry, something went wrong on my side. Anything you've already told me is safe. Please try again in a moment.",
    "catching_up": "I'm just bringing your notes up to date. Anything you've told me is safe. Please ask me again in a minute.",
    "unknown_activity": (
        "I don't know that one yet. What would you like instead? For example, a walk or a "
        "message to a friend.",
        "What would you like to do?",
    ),
    "invalid_date": (
        "I didn't catch the day. Which day would you like?",
        "Which day would you like?",
    ),
    "too_long": (
        "Could you say that a little more briefly?",
        "Could you say it more briefly?",
    ),
}

# Spoken names -------------------------------------------------------------------------

# A catalogue activity's own forms ("You made your bed", "making your bed") are in its
# entry in domain/catalogue.json; these say the rest ("You did it: Call Mum").
DONE_OTHER = "You did it: {title}"
DONE_SMALLER = "You did the smaller version: {title}"
# A person's own step inside a sentence: a title said in their words can't be quoted in
# speech, so it is introduced ("Shall we start with your step: call Mum?").
OWN_STEP = "your step: {title}"

WORDS = {
    # A person's own words that break the language rules ("I failed again") are not said
    # back: this is said in their place ("Is that mostly about people, ...?").
    "their_words": "that",
    "morning": "morning",
    "afternoon": "afternoon",
    "evening": "evening",
    "today": "today",
    "tomorrow": "tomorrow",
    "this": "this",
    "on": "on",
    "at": "at",
    "in_the": "in the",
    "and": "and",
    "or": "or",
    "anytime": "any time",
    "weekdays": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
    "months": ("January", "February", "March", "April", "May", "June", "July", "August",
               "September", "October", "November", "December"),
    "barrier_tired": "tiredness",
    "barrier_no_time": "time",
    "barrier_forgot": "forgetting",
    "barrier_anxious": "anxiety",
    "barrier_weather": "the weather",
    "barrier_other": "something else",
    "area_relationships": "people",
    "area_education_career": "work and learning",
    "area_recreation_interests": "fun",
    "area_mind_body_spirituality": "health",
    "area_daily_responsibilities": "home",
    "routine_waking_up": "waking up",
    "routine_breakfast": "breakfast",
    "routine_morning_coffee": "your morning coffee",
    "routine_brushing_teeth": "brushing your teeth",
    "routine_shower": "your shower",
    "routine_school_run": "the school run",
    "routine_commute": "your commute",
    "routine_lunch": "lunch",
    "routine_walking_the_dog": "walking the dog",
    "routine_dinner": "dinner",
    "routine_bedtime": "getting ready for bed",
    "step": "step",
    "steps": "steps",
    "minute": "minute",
    "minutes": "minutes",
    "am": "am",
    "pm": "pm",
}

# A far date: "on Thursday 3 December"
DATE_FORMAT = "{weekday} {day} {month}"

# Written differently in this locale (cards and any text shown on a screen).
SPELLING: dict[str, str] = {}
