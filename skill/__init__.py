"""Small Steps: the Alexa voice layer around the domain, in layers that call one way.

    edge/          HTTP: Flask app, request verification, SDK compatibility, once-only
                   replies, logs, the production server
    conversation/  dialog states, the request context, who is speaking, the handlers,
                   crisis language
    speech/        what is said, per locale
    voice/         the interaction model's source (python -m skill.voice.build)
    devices/       Alexa service clients (the device's time zone)
    devtools/      the chat console, envelopes, the test stack and test certificates
    settings.py    every SMALL_STEPS_* setting, the one reader of the environment
    cli.py         the `small-steps` command
    model.py       the interaction model's names, for the handlers

Call `skill.edge.sdk_compat.install()` before anything imports flask-ask-sdk (that
module says why).
"""
