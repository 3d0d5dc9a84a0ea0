"""Development tools, used by the console, the tests and the benchmarks (never by the
served skill): the chat console, request envelopes, the production stack on loopback
and Alexa-like test certificates. Nothing here imports from tests/ or bench/."""
