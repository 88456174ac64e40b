"""Composition root: builds and runs the app (DESIGN §1)."""
