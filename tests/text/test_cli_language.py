"""The command line speaks the user's language without loading Qt."""

from __future__ import annotations

import os
import subprocess
import sys


def _cli(*args: str, **env: str) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if k not in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")}
    return subprocess.run([sys.executable, "-m", "unsit", *args], capture_output=True, text=True, timeout=60,
                          env={**base, **env})


def test_status_in_german_from_lang():
    out = _cli("status", LANG="de_DE.UTF-8")
    assert out.returncode == 3
    assert "Unsit läuft nicht. Starte es mit:" in out.stderr, out.stderr


def test_status_in_english_from_the_c_locale():
    out = _cli("status", LANG="C.UTF-8")
    assert "Unsit is not running. Start it with:" in out.stderr


def test_language_variable_lists_preferences():
    out = _cli("status", LANG="en_US.UTF-8", LANGUAGE="tlh:de")
    assert "Unsit läuft nicht" in out.stderr


def test_the_language_setting_beats_the_system(tmp_path):
    (tmp_path / "unsit").mkdir()
    (tmp_path / "unsit" / "settings.toml").write_text('language = "de"\n')
    out = _cli("status", LANG="C.UTF-8", XDG_CONFIG_HOME=str(tmp_path))
    assert "Unsit läuft nicht" in out.stderr


def test_a_bad_pause_length_is_refused_in_german():
    out = _cli("pause", "5x", LANG="de_DE.UTF-8")
    assert out.returncode == 2
    assert "'5x' ist keine Pausenlänge" in out.stderr


def test_german_client_commands_still_load_no_qt():
    code = ("import sys; from unsit.__main__ import main; rc = main(['status']); "
            "print(any(m.startswith('PySide6') for m in sys.modules))")
    base = {k: v for k, v in os.environ.items() if k not in ("LANGUAGE", "LC_ALL", "LC_MESSAGES")}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60,
                         env={**base, "LANG": "de_DE.UTF-8"})
    assert out.stdout.strip() == "False"
    assert "läuft nicht" in out.stderr
