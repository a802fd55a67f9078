"""The PulseAudio native protocol's packets and "tagstructs", as far as a capture watch needs them.

A packet is a 20-byte descriptor (length, channel, offset high, offset low, flags; big-endian
u32 each) and a payload. On the command channel (0xFFFFFFFF) the payload is a tagstruct: a
sequence of self-describing values, each a one-byte tag and its data (PulseAudio's
``pulsecore/tagstruct.h`` names the tags). Since every value says its type, a payload parses
into a list without knowing the command; the caller picks fields by position.

Parsing is bounded and total: a malformed payload raises ``ProtocolError`` (never another
exception, never reads past the payload), and a packet longer than ``MAX_PACKET_BYTES`` is
refused before it is read.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from typing import Union

COMMAND_CHANNEL = 0xFFFFFFFF
DESCRIPTOR = struct.Struct(">IIIII")
MAX_PACKET_BYTES = 1 << 20
"""Longer packets are refused (the server's own limit on a frame is 1 MiB too)."""
MAX_LIST_ITEMS = 4096
"""A proplist, channel map or volume with more entries is malformed."""


class ProtocolError(ValueError):
    """A packet or tagstruct that does not follow the protocol."""


@dataclass(frozen=True)
class SampleSpec:
    """A ``PA_TAG_SAMPLE_SPEC`` value."""

    sample_format: int
    channels: int
    rate: int


@dataclass(frozen=True)
class FormatInfo:
    """A ``PA_TAG_FORMAT_INFO`` value."""

    encoding: int
    properties: dict[str, bytes]


Value = Union[int, str, None, bool, bytes, SampleSpec, FormatInfo, "dict[str, bytes]", "tuple[int, ...]"]
"""What a tag parses into: u8/u32/u64/volume/usec as int, channel map and cvolume as tuples."""


def encode_u32(value: int) -> bytes:
    """``L`` and a big-endian u32."""
    return b"L" + struct.pack(">I", value & 0xFFFFFFFF)


def encode_string(value: str | None) -> bytes:
    """``t`` and a NUL-terminated UTF-8 string, or ``N`` for None."""
    if value is None:
        return b"N"
    return b"t" + value.encode("utf-8", "replace").replace(b"\0", b"") + b"\0"


def encode_arbitrary(data: bytes) -> bytes:
    """``x``, a u32 length and the bytes."""
    return b"x" + struct.pack(">I", len(data)) + data


def encode_proplist(properties: dict[str, str]) -> bytes:
    """``P``, then key, length and value (NUL-terminated) per entry, then ``N``."""
    out = [b"P"]
    for key, value in properties.items():
        data = value.encode("utf-8", "replace") + b"\0"
        out += [encode_string(key), encode_u32(len(data)), encode_arbitrary(data)]
    out.append(b"N")
    return b"".join(out)


def encode_packet(payload: bytes) -> bytes:
    """A command-channel packet carrying ``payload``."""
    return DESCRIPTOR.pack(len(payload), COMMAND_CHANNEL, 0, 0, 0) + payload


def parse_descriptor(header: bytes) -> tuple[int, int]:
    """(payload length, channel) from a 20-byte descriptor; refuses an oversized one."""
    if len(header) != DESCRIPTOR.size:
        raise ProtocolError("short packet descriptor")
    length, channel, _offset_hi, _offset_lo, _flags = DESCRIPTOR.unpack(header)
    if length > MAX_PACKET_BYTES:
        raise ProtocolError(f"packet of {length} bytes is too long")
    return length, channel


class _Reader:
    """Reads a payload front to back; every read is checked against the end."""

    def __init__(self, data: bytes) -> None:
        self._data = data
        self._pos = 0

    @property
    def done(self) -> bool:
        return self._pos >= len(self._data)

    def take(self, count: int) -> bytes:
        if count < 0 or self._pos + count > len(self._data):
            raise ProtocolError("tagstruct ends in the middle of a value")
        chunk = self._data[self._pos:self._pos + count]
        self._pos += count
        return chunk

    def u8(self) -> int:
        return self.take(1)[0]

    def u32(self) -> int:
        value: int = struct.unpack(">I", self.take(4))[0]
        return value

    def cstring(self) -> str:
        end = self._data.find(b"\0", self._pos)
        if end < 0:
            raise ProtocolError("string without its terminating NUL")
        raw = self._data[self._pos:end]
        self._pos = end + 1
        return raw.decode("utf-8", "replace")

    def expect(self, tag: bytes) -> None:
        got = self.take(1)
        if got != tag:
            raise ProtocolError(f"expected tag {tag!r}, found {got!r}")

    def proplist(self) -> dict[str, bytes]:
        properties: dict[str, bytes] = {}
        while True:
            tag = self.take(1)
            if tag == b"N":
                return properties
            if tag != b"t":
                raise ProtocolError(f"proplist key with tag {tag!r}")
            key = self.cstring()
            self.expect(b"L")
            length = self.u32()
            self.expect(b"x")
            if self.u32() != length:
                raise ProtocolError("proplist value length disagrees with itself")
            properties[key] = self.take(length)
            if len(properties) > MAX_LIST_ITEMS:
                raise ProtocolError("proplist too long")

    def value(self) -> Value:
        tag = self.take(1)
        if tag == b"L":
            return self.u32()
        if tag == b"t":
            return self.cstring()
        if tag == b"N":
            return None
        if tag in (b"1", b"0"):
            return tag == b"1"
        if tag == b"B":
            return self.u8()
        if tag in (b"R", b"r", b"U"):
            raw = self.take(8)
            number: int = struct.unpack(">q" if tag == b"r" else ">Q", raw)[0]
            return number
        if tag == b"V":
            return self.u32()
        if tag == b"T":
            seconds, micros = self.u32(), self.u32()
            return seconds * 1_000_000 + micros
        if tag == b"x":
            return self.take(self.u32())
        if tag == b"a":
            sample_format, channels = self.u8(), self.u8()
            return SampleSpec(sample_format, channels, self.u32())
        if tag == b"m":
            return tuple(self.take(self.u8()))
        if tag == b"v":
            count = self.u8()
            return tuple(self.u32() for _ in range(count))
        if tag == b"P":
            return self.proplist()
        if tag == b"f":
            self.expect(b"B")
            encoding = self.u8()
            self.expect(b"P")
            return FormatInfo(encoding, self.proplist())
        raise ProtocolError(f"unknown tag {tag!r}")


def parse_tagstruct(payload: bytes) -> list[Value]:
    """Every value of a tagstruct, in order."""
    reader = _Reader(payload)
    values: list[Value] = []
    while not reader.done:
        values.append(reader.value())
    return values


def property_text(properties: dict[str, bytes], key: str) -> str | None:
    """A proplist entry as text (PulseAudio stores strings with their NUL), or None."""
    raw = properties.get(key)
    if raw is None:
        return None
    return raw.rstrip(b"\0").decode("utf-8", "replace")
