"""The conversation: dialog states, the request context, and the handlers that answer.

`states` names every dialog state; `base` holds `Turn` and the routing of answers in a
dialog state; `context` what every request needs (who, locale, time zone); `identity`
who is speaking, as a keyed hash; `handlers` one module per conversation area; `safety`
crisis language in free text. Handlers name speech keys; the words live in skill/speech.
"""
