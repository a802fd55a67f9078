"""Last-resort nudges through plyer: plain text, no buttons, no click callback."""

from __future__ import annotations

import logging
import warnings

from PySide6.QtCore import QObject

from unsit.platform.notify.base import NotifierSignals, Nudge

log = logging.getLogger(__name__)

TIMEOUT_SECONDS = 30


class PlyerNotifier(QObject):
    """Shows nudges with ``plyer.notification``. Not clickable: the lead also shows the popup."""

    name = "plyer"
    clickable = False

    def __init__(self, icon_path: str = "", parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.signals = NotifierSignals(self)  # never emits: plyer reports nothing back
        self._icon_path = icon_path

    def show_nudge(self, nudge: Nudge) -> None:
        """Show the nudge; logs and returns when plyer has no working backend."""
        self.inform(nudge.title, nudge.body)

    def inform(self, title: str, body: str) -> None:
        """Show a plain message; logs and returns when plyer has no working backend."""
        kwargs = {"app_name": "Unsit", "title": title, "message": body, "timeout": TIMEOUT_SECONDS}
        if self._icon_path:
            kwargs["app_icon"] = self._icon_path
        try:
            with warnings.catch_warnings():  # plyer warns on every call when python-dbus is missing
                warnings.simplefilter("ignore")
                from plyer import notification

                notification.notify(**kwargs)
        except Exception as exc:  # noqa: BLE001 - plyer raises NotImplementedError, dbus errors, OSError, ...
            log.warning("plyer could not show the notification: %s", exc)

    def withdraw(self) -> None:
        """Nothing to do: plyer cannot close what it showed."""

    def close(self) -> None:
        """Nothing to release."""
