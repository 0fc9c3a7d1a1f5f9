"""Conversations, one module each; no platform code and no SQL, only `Context` and replies."""
