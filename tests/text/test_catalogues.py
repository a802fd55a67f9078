"""The translation catalogues: complete, placeholders intact, plurals per language, template fresh."""

from __future__ import annotations

import gettext
import importlib.util
import sys
from pathlib import Path

import pytest

from unsit.text.languages import LANGUAGES, SOURCE_LANGUAGE

ROOT = Path(__file__).resolve().parents[2]
LOCALE = ROOT / "src" / "unsit" / "locale"


def _catalogues_module():
    spec = importlib.util.spec_from_file_location("i18n_catalogues", ROOT / "scripts" / "i18n_catalogues.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("i18n_catalogues", module)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def catalogues():
    return _catalogues_module()


@pytest.fixture(scope="module")
def template_keys(catalogues):
    from babel.messages.pofile import read_po as babel_read_po

    with (LOCALE / "unsit.pot").open("rb") as stream:
        return catalogues.template_keys(babel_read_po(stream))


def test_the_template_is_fresh(catalogues, template_keys):
    """Extraction from the code and the drill files now gives exactly the committed unsit.pot."""
    fresh = catalogues.template_keys(catalogues.build_template())
    assert sorted(fresh - template_keys) == [], "new strings: run scripts/i18n update"
    assert sorted(template_keys - fresh) == [], "strings gone from the code: run scripts/i18n update"


@pytest.mark.parametrize("po", sorted(LOCALE.glob("*.po")), ids=lambda p: p.stem)
def test_every_shipped_language_is_complete(catalogues, template_keys, po):
    assert catalogues.check_catalogue(po, template_keys) == []


def test_the_language_table_matches_the_catalogues():
    assert set(LANGUAGES) - {SOURCE_LANGUAGE} == {po.stem for po in LOCALE.glob("*.po")}


def test_the_template_holds_drill_texts_with_their_file_and_field(template_keys):
    keys = {(context, msgid) for context, msgid, _plural in template_keys}
    assert ("drills/hip-hinge.toml: name", "Hip hinge") in keys or any(
        c == "drills/hip-hinge.toml: name" for c, _m in keys)
    assert any(c == "drills/standing-hip-extension.toml: cue" for c, _m in keys)
    assert any(c == "drills/standing-hip-extension.toml: safety" for c, _m in keys)


def _po(tmp_path: Path, body: str, plural_forms: str = "nplurals=2; plural=(n != 1);") -> Path:
    path = tmp_path / "xx.po"
    path.write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
        f'"Plural-Forms: {plural_forms}\\n"\n\n' + body, encoding="utf-8")
    return path


TEMPLATE = {("", "Sitting for {duration}", ""), ("", "{count} drill", "{count} drills")}
GOOD = ('msgid "Sitting for {duration}"\nmsgstr "Sitzt seit {duration}"\n\n'
        'msgid "{count} drill"\nmsgid_plural "{count} drills"\n'
        'msgstr[0] "{count} Übung"\nmsgstr[1] "{count} Übungen"\n')


def test_the_check_passes_a_good_catalogue(catalogues, tmp_path):
    assert catalogues.check_catalogue(_po(tmp_path, GOOD), TEMPLATE) == []


def test_the_check_fails_on_a_missing_message(catalogues, tmp_path):
    body = 'msgid "Sitting for {duration}"\nmsgstr "Sitzt seit {duration}"\n'
    problems = catalogues.check_catalogue(_po(tmp_path, body), TEMPLATE)
    assert any("missing message '{count} drill'" in p for p in problems)


@pytest.mark.parametrize("broken", ["Sitzt seit {dauer}", "Sitzt seit {duration", "Sitzt seit"])
def test_the_check_fails_on_a_renamed_broken_or_missing_placeholder(catalogues, tmp_path, broken):
    body = GOOD.replace('msgstr "Sitzt seit {duration}"', f'msgstr "{broken}"')
    problems = catalogues.check_catalogue(_po(tmp_path, body), TEMPLATE)
    assert problems, broken


def test_the_check_fails_on_a_plural_form_missing_per_the_header(catalogues, tmp_path):
    polish = "nplurals=3; plural=(n==1 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);"
    problems = catalogues.check_catalogue(_po(tmp_path, GOOD, polish), TEMPLATE)
    assert any("plural forms [2] are empty; the header says nplurals=3" in p for p in problems)


def test_the_check_fails_on_untranslated_and_fuzzy(catalogues, tmp_path):
    body = GOOD.replace('msgstr "Sitzt seit {duration}"', 'msgstr ""')
    assert any("not translated" in p for p in catalogues.check_catalogue(_po(tmp_path, body), TEMPLATE))
    body = "#, fuzzy\n" + GOOD
    assert any("fuzzy" in p for p in catalogues.check_catalogue(_po(tmp_path, body), TEMPLATE))


def _setup_module():
    spec = importlib.util.spec_from_file_location("unsit_setup", ROOT / "setup.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_compiled_catalogues_are_read_by_gettext_with_contexts_and_plurals(tmp_path):
    """What the wheel build writes (setup.py, Babel): gettext finds contexts, plurals, joined lines."""
    body = (GOOD + '\nmsgctxt "drills/a.toml: cue"\nmsgid "Stand up."\nmsgstr "Steh auf."\n'
            '\nmsgid "Line one "\n"and two"\nmsgstr ""\n"Zeile eins "\n"und zwei"\n'
            '\nmsgid "Untranslated"\nmsgstr ""\n'
            '\n#, fuzzy\nmsgid "Unsure"\nmsgstr "Unsicher"\n')
    source = _po(tmp_path, body).parent
    written = _setup_module().compile_catalogues(source, tmp_path / "out")
    assert written == [tmp_path / "out" / "xx" / "LC_MESSAGES" / "unsit.mo"]
    t = gettext.translation("unsit", tmp_path / "out", languages=["xx"])
    assert t.gettext("Sitting for {duration}") == "Sitzt seit {duration}"
    assert t.ngettext("{count} drill", "{count} drills", 1) == "{count} Übung"
    assert t.ngettext("{count} drill", "{count} drills", 5) == "{count} Übungen"
    assert t.pgettext("drills/a.toml: cue", "Stand up.") == "Steh auf."
    assert t.gettext("Stand up.") == "Stand up."  # without the context it is another message
    assert t.gettext("Line one and two") == "Zeile eins und zwei"
    assert t.gettext("Untranslated") == "Untranslated"
    assert t.gettext("Unsure") == "Unsure"  # fuzzy: not shipped


def test_every_shipped_catalogue_compiles_to_what_gettext_reads(tmp_path):
    """Each language's compiled file gives every message of its .po, contexts and plural forms included."""
    from babel.messages.pofile import read_po as babel_read_po

    _setup_module().compile_catalogues(LOCALE, tmp_path)
    for po in sorted(LOCALE.glob("*.po")):
        with po.open("rb") as stream:
            catalog = babel_read_po(stream)
        t = gettext.translation("unsit", tmp_path, languages=[po.stem])
        for message in catalog:
            if not message.id:
                continue
            if isinstance(message.id, tuple):
                for n, form in ((1, 0), (2, 1)):
                    index = _plural_index(catalog.plural_expr, n)
                    got = (t.npgettext(message.context, *message.id, n) if message.context
                           else t.ngettext(*message.id, n))
                    assert got == message.string[index], (po.name, message.id, form)
            else:
                got = t.pgettext(message.context, message.id) if message.context else t.gettext(message.id)
                assert got == message.string, (po.name, message.id)


def _plural_index(expression: str, n: int) -> int:
    return int(gettext.c2py(expression)(n))
