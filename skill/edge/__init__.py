"""The HTTP edge: what stands between the network and the conversation.

`web` (the Flask app: body checks, verification, the ASK skill, health, error JSON),
`verification` (Alexa's request checks), `sdk_compat` (lets flask-ask-sdk import where
its certificate library cannot), `once` (each Alexa request acted on once), `logs`
(JSON lines) and `production` (gunicorn). The edge calls into the conversation; the
conversation never imports the edge.
"""
