"""Small Steps: the Alexa voice layer around the domain.

Call `skill.edge.sdk_compat.install()` before anything imports flask-ask-sdk (that module
says why).
"""
