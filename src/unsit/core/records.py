"""``dataclass`` with the same behaviour as the standard one, for less memory per class.

The standard decorator writes ``__repr__``, ``__eq__``, ``__hash__`` and, for a frozen class,
``__setattr__`` and ``__delattr__`` as new functions for every class (compiled source: about
6 kB of Python heap per frozen class, 11 kB in all with its ``__init__`` and fields). An idle
tray holds some forty of them for hours. This decorator lets the standard one build the class
and its ``__init__``, then puts one shared implementation of those five methods in place of
the generated ones: the same repr text, the same equality (same class, fields compared as a
tuple), the same hash of the same fields and the same ``FrozenInstanceError``.

Only the plain case is handled this way: a class with no base class of its own, no ordering,
no ``unsafe_hash``, no ``__slots__`` and none of those methods written by hand. Anything else
goes to the standard decorator unchanged. Type checkers see the standard decorator.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import field
from threading import get_ident
from typing import TYPE_CHECKING, Any

__all__ = ["dataclass", "field"]

_REPLACED = ("__repr__", "__eq__", "__hash__", "__setattr__", "__delattr__")
_PLAIN_OPTIONS = frozenset({"init", "repr", "eq", "frozen", "kw_only", "match_args"})
_repr_running: set[tuple[int, int]] = set()  # (object, thread) whose repr is being written


def _fields_where(cls: type, wanted: Callable[[dataclasses.Field[Any]], bool]) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(cls) if wanted(f))


def _shared_repr(self: Any) -> str:
    key = (id(self), get_ident())
    if key in _repr_running:  # a record that contains itself, as the standard repr says it
        return "..."
    _repr_running.add(key)
    try:
        parts = ", ".join(f"{name}={getattr(self, name)!r}" for name in type(self).__record_repr__)
        return f"{type(self).__qualname__}({parts})"
    finally:
        _repr_running.discard(key)


def _shared_eq(self: Any, other: object) -> Any:
    if other.__class__ is not self.__class__:
        return NotImplemented
    cls: Any = self.__class__
    names: tuple[str, ...] = cls.__record_compare__
    return tuple(getattr(self, name) for name in names) == tuple(getattr(other, name) for name in names)


def _shared_hash(self: Any) -> int:
    return hash(tuple(getattr(self, name) for name in type(self).__record_hash__))


def _is_frozen_field(self: Any, name: str) -> bool:
    cls = type(self)
    return cls.__dict__.get("__record_frozen__", False) or name in cls.__record_fields__


def _shared_setattr(self: Any, name: str, value: Any) -> None:
    if _is_frozen_field(self, name):
        raise dataclasses.FrozenInstanceError(f"cannot assign to field {name!r}")
    object.__setattr__(self, name, value)


def _shared_delattr(self: Any, name: str) -> None:
    if _is_frozen_field(self, name):
        raise dataclasses.FrozenInstanceError(f"cannot delete field {name!r}")
    object.__delattr__(self, name)


def _lean(cls: type, options: dict[str, Any]) -> type:
    """Build ``cls`` with the standard decorator, then share what it would generate per class."""
    if cls.__bases__ != (object,) or any(name in cls.__dict__ for name in _REPLACED) \
            or not set(options) <= _PLAIN_OPTIONS:
        return dataclasses.dataclass(**options)(cls)
    want_repr = options.get("repr", True)
    want_eq = options.get("eq", True)
    frozen = options.get("frozen", False)
    built: Any = dataclasses.dataclass(**{**options, "repr": False, "eq": False})(cls)
    if want_repr:
        built.__record_repr__ = _fields_where(built, lambda f: f.repr)
        built.__repr__ = _shared_repr
    if want_eq:
        built.__record_compare__ = _fields_where(built, lambda f: f.compare)
        built.__eq__ = _shared_eq
        if frozen:  # the standard rule: eq and frozen hash the fields, eq alone is unhashable
            built.__record_hash__ = _fields_where(built, lambda f: f.compare if f.hash is None else f.hash)
            built.__hash__ = _shared_hash
        else:
            built.__hash__ = None
    if frozen:
        built.__record_fields__ = frozenset(f.name for f in dataclasses.fields(built))
        built.__record_frozen__ = True  # its own instances refuse every name; a plain subclass's only fields
        built.__setattr__ = _shared_setattr
        built.__delattr__ = _shared_delattr
    return built  # type: ignore[no-any-return]


def _dataclass(cls: type | None = None, /, **options: Any) -> Any:
    """``dataclasses.dataclass``'s call forms: ``@dataclass`` and ``@dataclass(frozen=True, ...)``."""
    if cls is None:
        return lambda wrapped: _lean(wrapped, options)
    return _lean(cls, options)


if TYPE_CHECKING:
    from dataclasses import dataclass
else:
    dataclass = _dataclass
