"""Errors that stop a delivery run before anything is sent (exit code 2)."""


class AlertsError(Exception):
    """A setting, the database or the state folder is unusable; nothing was sent."""
