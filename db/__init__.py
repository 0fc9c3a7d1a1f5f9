"""Persistence: typed models, the engine and session, repository functions, migrations."""
