"""Read gettext ``.po`` catalogues and write ``.mo`` files, with the standard library only.

The wheel build (setup.py), ``scripts/setup`` (through ``scripts/i18n compile``) and the
catalogue test use this, so compiling needs neither Babel nor GNU gettext. The running
app never imports it: it reads ``.mo`` files with ``gettext``.
"""

from __future__ import annotations

import ast
import re
import struct
from dataclasses import dataclass, field
from pathlib import Path

_KEYWORD_RE = re.compile(r"^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+(\".*\")\s*$")


@dataclass
class Entry:
    """One message of a catalogue."""

    msgid: str
    msgid_plural: str = ""
    context: str = ""
    msgstr: list[str] = field(default_factory=lambda: [""])
    flags: set[str] = field(default_factory=set)
    comments: list[str] = field(default_factory=list)
    line: int = 0

    @property
    def key(self) -> tuple[str, str]:
        """(context, msgid): what identifies a message."""
        return self.context, self.msgid

    @property
    def translated(self) -> bool:
        """True when every form has text and the entry is not marked fuzzy."""
        return "fuzzy" not in self.flags and all(self.msgstr)


class PoError(ValueError):
    """A ``.po`` file that cannot be read, naming the file and line."""


def _unquote(text: str, where: str) -> str:
    try:
        value = ast.literal_eval(text)
    except (ValueError, SyntaxError) as exc:
        raise PoError(f"{where}: bad string {text}") from exc
    if not isinstance(value, str):
        raise PoError(f"{where}: bad string {text}")
    return value


def read_po(path: Path) -> tuple[dict[str, str], list[Entry]]:
    """The header fields and the messages of a ``.po`` file (obsolete ``#~`` entries left out).

    Raises:
        PoError: on a line that is not gettext syntax.
    """
    entries: list[Entry] = []
    current: Entry | None = None
    pending_flags: set[str] = set()
    pending_comments: list[str] = []
    last: tuple[str, int] | None = None  # the keyword a continuation line belongs to

    def finish() -> None:
        nonlocal current
        if current is not None:
            entries.append(current)
        current = None

    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        where = f"{path}:{number}"
        if not line:
            continue
        if line.startswith("#~"):
            continue
        if line.startswith("#"):
            if current is not None and current.msgstr:
                finish()
            last = ("comment", 0)
            if line.startswith("#,"):
                pending_flags |= {f.strip() for f in line[2:].split(",") if f.strip()}
            elif line.startswith("#."):
                pending_comments.append(line[2:].strip())
            continue
        if line.startswith('"'):
            if current is None or last is None or last[0] == "comment":
                raise PoError(f"{where}: a string with no keyword before it")
            text = _unquote(line, where)
            keyword, index = last
            if keyword == "msgctxt":
                current.context += text
            elif keyword == "msgid":
                current.msgid += text
            elif keyword == "msgid_plural":
                current.msgid_plural += text
            else:
                current.msgstr[index] += text
            continue
        match = _KEYWORD_RE.match(line)
        if not match:
            raise PoError(f"{where}: not gettext syntax: {line[:60]}")
        keyword, index_text, quoted = match[1], match[2], match[3]
        text = _unquote(quoted, where)
        starts_entry = keyword == "msgctxt" or (keyword == "msgid" and (current is None or last != ("msgctxt", 0)))
        if starts_entry:
            finish()
            current = Entry(msgid="", flags=pending_flags, comments=pending_comments, line=number)
            current.msgstr = []
            pending_flags, pending_comments = set(), []
        if current is None:
            raise PoError(f"{where}: {keyword} before msgid")
        if keyword == "msgctxt":
            current.context = text
            last = ("msgctxt", 0)
        elif keyword == "msgid":
            current.msgid = text
            last = ("msgid", 0)
        elif keyword == "msgid_plural":
            current.msgid_plural = text
            last = ("msgid_plural", 0)
        else:
            index = int(index_text) if index_text is not None else 0
            while len(current.msgstr) <= index:
                current.msgstr.append("")
            current.msgstr[index] = text
            last = ("msgstr", index)
    finish()
    header: dict[str, str] = {}
    messages: list[Entry] = []
    for entry in entries:
        if not entry.msgstr:
            entry.msgstr = [""]
        if entry.msgid == "" and not entry.context:
            for header_line in entry.msgstr[0].splitlines():
                name, _, value = header_line.partition(":")
                if name.strip():
                    header[name.strip()] = value.strip()
        else:
            messages.append(entry)
    return header, messages


def nplurals(header: dict[str, str]) -> int:
    """``nplurals`` from the ``Plural-Forms`` header (2 when there is none).

    Raises:
        PoError: when the header is there but has no readable nplurals.
    """
    forms = header.get("Plural-Forms")
    if forms is None:
        return 2
    match = re.search(r"nplurals\s*=\s*(\d+)", forms)
    if not match:
        raise PoError(f"Plural-Forms has no nplurals: {forms!r}")
    return int(match[1])


def write_mo(path: Path, header: dict[str, str], entries: list[Entry]) -> int:
    """Write the translated, non-fuzzy entries as a GNU ``.mo`` file; returns how many.

    Untranslated messages are left out, so gettext shows the English for them.
    """
    header_text = "".join(f"{name}: {value}\n" for name, value in header.items())
    pairs: dict[bytes, bytes] = {b"": header_text.encode("utf-8")}
    for entry in entries:
        if not entry.translated:
            continue
        original = entry.msgid
        if entry.msgid_plural:
            original += "\0" + entry.msgid_plural
        if entry.context:
            original = entry.context + "\x04" + original
        pairs[original.encode("utf-8")] = "\0".join(entry.msgstr).encode("utf-8")
    keys = sorted(pairs)
    count = len(keys)
    originals_at = 7 * 4
    translations_at = originals_at + count * 8
    data_at = translations_at + count * 8
    originals = bytearray()
    translations = bytearray()
    blob = bytearray()
    for key in keys:
        originals += struct.pack("<2I", len(key), data_at + len(blob))
        blob += key + b"\0"
    for key in keys:
        value = pairs[key]
        translations += struct.pack("<2I", len(value), data_at + len(blob))
        blob += value + b"\0"
    head = struct.pack("<7I", 0x950412DE, 0, count, originals_at, translations_at, 0, 0)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(head + bytes(originals) + bytes(translations) + bytes(blob))
    return count - 1


def compile_folder(po_folder: Path, out_folder: Path, domain: str = "unsit") -> list[Path]:
    """Compile every ``<code>.po`` in ``po_folder`` to ``out_folder/<code>/LC_MESSAGES/<domain>.mo``."""
    written = []
    for po in sorted(po_folder.glob("*.po")):
        header, entries = read_po(po)
        target = out_folder / po.stem / "LC_MESSAGES" / f"{domain}.mo"
        write_mo(target, header, entries)
        written.append(target)
    return written
