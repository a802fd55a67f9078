"""What a start says: one line on the terminal naming the icon's place and how to stop."""

from __future__ import annotations

from unsit.app.compose import started_line


def test_the_started_line_says_where_the_icon_is_and_how_to_stop():
    line = started_line(True, "~/unsit/.venv/bin/unsit")
    assert line == "Unsit runs: its icon is in the system tray. Stop it with `~/unsit/.venv/bin/unsit quit` or Ctrl+C."
    line = started_line(False, "unsit")
    assert line == ("Unsit runs without a system tray: `unsit open` shows its window. "
                    "Stop it with `unsit quit` or Ctrl+C.")
    assert "\n" not in line
