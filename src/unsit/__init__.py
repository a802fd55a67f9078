"""Unsit: a tray app that nudges you to stand up and open your hips."""

__version__ = "0.1.0"
APP_NAME = "Unsit"
APP_ID = "unsit"
DESKTOP_ID = "app.unsit.Unsit"  # the installed .desktop file and AppStream id
