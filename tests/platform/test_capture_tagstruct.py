"""The PulseAudio tagstruct parser and the source-output rules, on made-up packets (no server)."""

from __future__ import annotations

import struct

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from unsit.platform.capture.pulse import calls_in
from unsit.platform.capture.tagstruct import (
    MAX_PACKET_BYTES,
    FormatInfo,
    ProtocolError,
    SampleSpec,
    encode_arbitrary,
    encode_packet,
    encode_proplist,
    encode_string,
    encode_u32,
    parse_descriptor,
    parse_tagstruct,
)


def source_output(index: int, source: int, *, corked: bool = False, pid: str = "4242",
                  app: str = "Zoom") -> bytes:
    """One source output record as a protocol 32 server sends it."""
    return b"".join([
        encode_u32(index), encode_string("record stream"), encode_u32(0xFFFFFFFF), encode_u32(7), encode_u32(source),
        b"a" + bytes([3, 2]) + struct.pack(">I", 44100), b"m" + bytes([2, 1, 2]),
        b"U" + struct.pack(">Q", 0), b"U" + struct.pack(">Q", 0),
        encode_string(None), encode_string("protocol-native.c"),
        encode_proplist({"application.name": app, "application.process.id": pid}),
        b"1" if corked else b"0",
        b"v" + bytes([2]) + struct.pack(">II", 65536, 65536), b"0", b"1", b"1",
        b"f" + b"B" + bytes([1]) + encode_proplist({}),
    ])


def test_a_record_parses_into_its_values():
    values = parse_tagstruct(source_output(3, 1))
    assert len(values) == 18
    assert values[0] == 3 and values[4] == 1 and values[5] == SampleSpec(3, 2, 44100) and values[6] == (1, 2)
    assert values[11] == {"application.name": b"Zoom\0", "application.process.id": b"4242\0"}
    assert values[12] is False and values[13] == (65536, 65536)
    assert values[17] == FormatInfo(1, {})


def test_calls_skip_corked_own_and_monitor_streams():
    records = parse_tagstruct(b"".join([
        source_output(1, 1, app="Zoom"),
        source_output(2, 1, corked=True, app="Paused"),
        source_output(3, 1, pid="99", app="Unsit itself"),
        source_output(4, 0, app="Recorder of the speakers"),
        source_output(5, 2, app="Jitsi"),
    ]))
    assert calls_in(records, 32, own_pid=99, is_monitor=lambda source: source == 0) == ("Zoom", "Jitsi")


def test_a_list_of_the_wrong_shape_is_refused():
    records = parse_tagstruct(source_output(1, 1))
    with pytest.raises(ProtocolError):
        calls_in(records[:-1], 32, own_pid=1, is_monitor=lambda _s: False)
    with pytest.raises(ProtocolError):
        calls_in(records, 21, own_pid=1, is_monitor=lambda _s: False)
    swapped = [records[0], records[1], records[2], records[3], "not a number", *records[5:]]
    with pytest.raises(ProtocolError):
        calls_in(swapped, 32, own_pid=1, is_monitor=lambda _s: False)


@pytest.mark.parametrize("payload", [
    b"L\x00\x00", b"tno end", b"x\x00\x00\x00\x10short", b"Q", b"P" + encode_string("k") + b"N",
    b"P" + encode_string("k") + encode_u32(3) + encode_arbitrary(b"abcd") + b"N", b"f" + b"L",
    b"m\x05\x01", b"v\x02\x00\x00\x00\x01",
])
def test_malformed_payloads_raise_protocol_errors(payload):
    with pytest.raises(ProtocolError):
        parse_tagstruct(payload)


def test_an_oversized_packet_is_refused_before_it_is_read():
    header = struct.pack(">IIIII", MAX_PACKET_BYTES + 1, 0xFFFFFFFF, 0, 0, 0)
    with pytest.raises(ProtocolError):
        parse_descriptor(header)
    assert parse_descriptor(encode_packet(b"L\x00\x00\x00\x01")[:20]) == (5, 0xFFFFFFFF)


@settings(max_examples=400, deadline=None)
@given(st.binary(max_size=300))
def test_any_bytes_parse_or_raise_protocol_error(data):
    try:
        parse_tagstruct(data)
    except ProtocolError:
        pass


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_a_cut_or_flipped_real_record_parses_or_raises_protocol_error(data):
    record = bytearray(source_output(1, 1))
    cut = data.draw(st.integers(0, len(record)))
    flips = data.draw(st.lists(st.tuples(st.integers(0, len(record) - 1), st.integers(0, 255)), max_size=4))
    for position, value in flips:
        record[position] = value
    try:
        values = parse_tagstruct(bytes(record[:cut]))
        calls_in(values, 32, own_pid=1, is_monitor=lambda _s: False)
    except ProtocolError:
        pass
