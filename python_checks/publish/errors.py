"""The one error a publish raises: it refused, and nothing served changed."""


class PublishError(Exception):
    """Publishing was refused or failed; the served files are as they were."""
