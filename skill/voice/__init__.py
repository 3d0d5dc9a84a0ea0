"""The voice interaction model's single source, and its renderer.

    names        invocation, locales, intent, slot and slot type names (`skill.model.I`)
    intents/     every intent: slots, samples, dialog (steps, plan, care and built-ins)
    slot_types   the custom slot types; ActivityType comes from `domain/catalogue.json`
    wording      how each locale words it, and the shared text helpers
    manifest     the skill manifest (`skill.json`)
    render       one locale's interaction model
    package      where the ASK CLI skill package (`interaction-models/`) is, and its layout
    build        `python -m skill.voice.build [--check]` writes (or checks) that package

Importing this package imports nothing else: handlers that need only the names load only
`names`."""
