"""The running app with the fake providers (the customer chatbot's world) for hostile requests."""

from tests.customer.conftest import world  # noqa: F401  (a fixture, used by name)
