"""Extract, update, compile and check Unsit's gettext catalogues (``scripts/i18n`` runs this).

Sources of messages:
- Python under src/unsit: ``_``, ``N_``, ``ngettext``, ``pgettext``, ``npgettext`` (Babel's
  extractor), with ``# Translators:`` comments passed on to the translators;
- the shipped drill files (assets/drills/*.toml): name, purpose, safety and every cue, each
  with a ``msgctxt`` naming the file and the field (``drills/hip-hinge.toml: cue``);
- the shipped routine files (assets/routines/*.toml) when that folder exists: name, purpose
  and every step's note, the same way.
The template is src/unsit/locale/unsit.pot; each language is src/unsit/locale/<code>.po.
"""

from __future__ import annotations

import io
import string
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SOURCE_DIR = ROOT / "src" / "unsit"
LOCALE_DIR = SOURCE_DIR / "locale"
TEMPLATE = LOCALE_DIR / "unsit.pot"
ASSETS = ROOT / "assets"
KEYWORDS: dict[str, Any] = {
    "_": None, "N_": None, "ngettext": (1, 2), "pgettext": ((1, "c"), 2), "npgettext": ((1, "c"), 2, 3),
}
DRILL_FIELDS = ("name", "purpose", "safety")
ROUTINE_FIELDS = ("name", "purpose", "notes")

sys.path.insert(0, str(SOURCE_DIR.parent))

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib


def data_file_context(folder: str, file_name: str, field: str) -> str:
    """The msgctxt of a drill or routine text; the app builds the same one (unsit.ui.drill_text)."""
    return f"{folder}/{file_name}: {field}"


def _data_messages(folder: str, fields: tuple[str, ...],
                   step_fields: tuple[str, ...]) -> Iterator[tuple[str, int, str, str, str]]:
    """(path, line, context, message, comment) for every text of the TOML files in assets/<folder>."""
    base = ASSETS / folder
    if not base.is_dir():
        return
    for path in sorted(base.glob("*.toml")):
        text = path.read_text(encoding="utf-8")
        data = tomllib.loads(text)
        lines = text.splitlines()

        def line_of(value: str, lines: list[str] = lines) -> int:
            return next((n for n, line in enumerate(lines, 1) if value[:40] in line), 0)

        rel = f"assets/{folder}/{path.name}"
        for field in fields:
            value = data.get(field)
            if isinstance(value, str) and value.strip():
                clean = " ".join(value.split())
                yield rel, line_of(value), data_file_context(folder, path.name, field), clean, ""
        for step in data.get("steps", []):
            if not isinstance(step, dict):
                continue
            for field in step_fields:
                value = step.get(field)
                if isinstance(value, str) and value.strip():
                    clean = " ".join(value.split())
                    comment = "A movement instruction shown big during the step: translate its meaning, not its words."
                    yield rel, line_of(value), data_file_context(folder, path.name, field), clean, comment


def build_template() -> Any:
    """The template catalogue extracted from the code and the shipped data files."""
    from babel.messages.catalog import Catalog
    from babel.messages.extract import extract

    catalog = Catalog(project="Unsit", version="", copyright_holder="The Unsit developers",
                      msgid_bugs_address="", charset="utf-8", fuzzy=False)
    for path in sorted(SOURCE_DIR.rglob("*.py")):
        if "locale" in path.parts:
            continue
        rel = path.relative_to(ROOT).as_posix()
        with path.open("rb") as stream:
            for line, message, comments, context in extract(
                    "python", stream, keywords=KEYWORDS, comment_tags=("Translators:",), strip_comment_tags=True):
                flags = ("python-brace-format",) if _has_fields(message) else ()
                catalog.add(message, None, [(rel, line)], auto_comments=comments, context=context, flags=flags)
    for rel, line, context, message, comment in (
            *_data_messages("drills", DRILL_FIELDS, ("cue",)), *_data_messages("routines", ROUTINE_FIELDS, ())):
        catalog.add(message, None, [(rel, line)], auto_comments=[comment] if comment else [], context=context)
    return catalog


def _has_fields(message: str | tuple[str, ...]) -> bool:
    texts = message if isinstance(message, tuple) else (message,)
    try:
        return any(field for text in texts for field in placeholders(text))
    except ValueError:
        return False


def placeholders(text: str) -> set[str]:
    """The ``{name}`` fields of a format string.

    Raises:
        ValueError: when the braces do not form a valid format string.
    """
    return {name.split(".")[0].split("[")[0] for _, name, _, _ in string.Formatter().parse(text)
            if name is not None}


def write_catalog(catalog: Any, path: Path) -> None:
    from babel.messages.pofile import write_po

    buffer = io.BytesIO()
    write_po(buffer, catalog, width=100, no_location=True, sort_output=True, ignore_obsolete=True,
             include_previous=False, omit_header=False)
    text = buffer.getvalue().decode("utf-8")
    # The creation date changes on every run; keep the file stable when nothing else did.
    text = "\n".join(line for line in text.split("\n") if not line.startswith('"POT-Creation-Date:'))
    path.write_text(text, encoding="utf-8")


def _key(message: Any) -> tuple[str, str, str]:
    """(context, msgid, msgid_plural) of a Babel message."""
    if isinstance(message.id, tuple):
        return message.context or "", message.id[0], message.id[1]
    return message.context or "", message.id, ""


def template_keys(catalog: Any) -> set[tuple[str, str, str]]:
    """(context, msgid, msgid_plural) of every message (what a stale template check compares)."""
    return {_key(message) for message in catalog if message.id}


def extract() -> None:
    LOCALE_DIR.mkdir(parents=True, exist_ok=True)
    catalog = build_template()
    write_catalog(catalog, TEMPLATE)
    print(f"{TEMPLATE.relative_to(ROOT)}: {len(template_keys(catalog))} messages")


def update(languages: list[str]) -> None:
    """Extract, then merge the template into every (or the named) ``<code>.po``; new ones are created."""
    from babel.messages.pofile import read_po

    extract()
    with TEMPLATE.open("rb") as stream:
        template = read_po(stream)
    targets = [LOCALE_DIR / f"{code}.po" for code in languages] or sorted(LOCALE_DIR.glob("*.po"))
    for po in targets:
        if po.exists():
            with po.open("rb") as stream:
                catalog = read_po(stream, locale=po.stem)
            catalog.update(template, no_fuzzy_matching=True)
        else:
            with TEMPLATE.open("rb") as stream:
                catalog = read_po(stream, locale=po.stem)
            catalog.locale = po.stem  # fills Language and Plural-Forms from CLDR
            catalog.revision_date = catalog.creation_date
        write_catalog(catalog, po)
        missing = sum(1 for m in catalog if m.id and (not m.string or (isinstance(m.string, tuple)
                                                                         and not all(m.string))))
        print(f"{po.relative_to(ROOT)}: {missing} messages to translate")


def compile_all(out: Path | None = None) -> None:
    """Compile every ``<code>.po`` with Babel, as the wheel build does (setup.py's ``compile_catalogues``)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("unsit_setup", ROOT / "setup.py")
    assert spec is not None and spec.loader is not None
    build = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build)  # defines compile_catalogues; setup() runs only as __main__
    for target in build.compile_catalogues(LOCALE_DIR, out or LOCALE_DIR):
        print(f"compiled {target.relative_to(ROOT) if target.is_relative_to(ROOT) else target}")


def check_catalogue(po: Path, template: set[tuple[str, str, str]]) -> list[str]:
    """Problems of one ``.po`` against the template: missing, untranslated, fuzzy, placeholders, plurals."""
    from babel.messages.pofile import PoFileError, read_po

    name = po.name
    try:
        with po.open("rb") as stream:
            catalog = read_po(stream, abort_invalid=True)
    except (OSError, PoFileError, ValueError) as exc:
        return [f"{name}: cannot be read ({exc})"]
    problems = []
    have = {key: message for message in catalog if message.id for key in [_key(message)]}
    problems += [f"{name}: missing message {key[1][:60]!r}" + (f" (context {key[0]!r})" if key[0] else "")
                 for key in sorted(template - set(have))]
    problems += [f"{name}:{have[key].lineno}: message no longer in the template {key[1][:60]!r}"
                 for key in sorted(set(have) - template)]
    for (_context, msgid, msgid_plural), message in have.items():
        where = f"{name}:{message.lineno}: {msgid[:50]!r}"
        strings = list(message.string) if isinstance(message.string, tuple) else [message.string]
        if message.fuzzy:
            problems.append(f"{where}: marked fuzzy (check it and remove the flag)")
        if msgid_plural and not all(strings):
            empty = [number for number, text in enumerate(strings) if not text]
            problems.append(f"{where}: plural forms {empty} are empty; the header says "
                            f"nplurals={catalog.num_plurals}")
            continue
        if not all(strings):
            problems.append(f"{where}: not translated")
            continue
        try:
            wanted = placeholders(msgid) | placeholders(msgid_plural)
        except ValueError:
            wanted = set()
        found: set[str] = set()
        for number, text in enumerate(strings):
            try:
                names = placeholders(text)
            except ValueError as exc:
                problems.append(f"{where}: form {number}: broken braces ({exc})")
                continue
            if names - wanted:
                problems.append(f"{where}: unknown placeholder {sorted(names - wanted)} (English has {sorted(wanted)})")
            if not msgid_plural and names != wanted:
                problems.append(f"{where}: placeholders {sorted(names)} but the English has {sorted(wanted)}")
            found |= names
        if msgid_plural and found != wanted:
            problems.append(f"{where}: placeholders {sorted(wanted - found)} appear in no form")
    return problems


def check() -> int:
    """Fail (exit 1) when the template is stale or any ``.po`` falls short of it."""
    from babel.messages.pofile import read_po

    fresh = template_keys(build_template())
    with TEMPLATE.open("rb") as stream:
        committed = template_keys(read_po(stream))
    problems = [f"unsit.pot is stale: {key[1][:60]!r} is in the code, not in the template (run scripts/i18n update)"
                for key in sorted(fresh - committed)]
    problems += [f"unsit.pot is stale: {key[1][:60]!r} is no longer in the code (run scripts/i18n update)"
                 for key in sorted(committed - fresh)]
    for po in sorted(LOCALE_DIR.glob("*.po")):
        problems += check_catalogue(po, committed)
    for problem in problems:
        print(problem)
    print(f"{len(problems)} problems")
    return 1 if problems else 0


def main(argv: list[str]) -> int:
    usage = "usage: scripts/i18n extract | update [CODE ...] | compile [OUT_DIR] | check"
    if not argv:
        print(usage, file=sys.stderr)
        return 2
    command, rest = argv[0], argv[1:]
    if command == "extract":
        extract()
    elif command == "update":
        update(rest)
    elif command == "compile":
        compile_all(Path(rest[0]) if rest else None)
    elif command == "check":
        return check()
    else:
        print(usage, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
