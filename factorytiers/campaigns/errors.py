"""Refusals of the campaign services: the message (Chinese) says what is wrong; nothing was
written."""

from factorytiers.accounts.writes import EditConflict, Refused

__all__ = ["BadUpload", "EditConflict", "InvalidInput", "ServiceError"]


class ServiceError(Refused, ValueError):
    """Refused input or state; the message says what is wrong. Nothing was written."""


class BadUpload(ServiceError):
    """A file refused for its size, content or package bounds; nothing was written."""


class InvalidInput(ServiceError):
    """Refused input with one or more (field, problem) pairs; nothing was written."""

    def __init__(self, problems: list[tuple[str, str]]):
        self.problems = problems
        super().__init__("；".join(f"{field}：{problem}" for field, problem in problems) + "。")
