"""The HTTP edge: what stands between the network and the conversation.

`web` (the Flask app: body checks, verification, dispatch, health, error JSON),
`verification` (Alexa's request checks), `sdk_compat` (lets flask-ask-sdk import where
its certificate library cannot), `once` (each Alexa request acted on once), `identity`
(stored person keys from Alexa ids), `logs` (JSON lines) and `production` (gunicorn).
"""
