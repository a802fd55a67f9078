"""The idle source used when nothing else works (re-exported from base)."""

from unsit.platform.idle.base import NullIdleSource

__all__ = ["NullIdleSource"]
