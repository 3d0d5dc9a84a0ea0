"""Alexa service clients: what the skill asks Alexa's APIs about a device."""
