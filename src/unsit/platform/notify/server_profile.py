"""What a freedesktop notification server can do, and the rules that follow from it.

Plain Python (no Qt, no D-Bus): the notifier asks these functions which actions to send
and whether a signal answers our nudge, so the rules are unit tested on their own.

Servers differ in ways that matter to a nudge with buttons:

- Without the ``actions`` capability (notify-osd and others) a server cannot report a
  click. notify-osd even turns a notification *with* actions into its own dialog whose
  buttons send ``ActionInvoked(0, ...)`` and which nobody closes. So such a server gets no
  actions at all: a plain bubble, and the built-in popup carries the buttons.
- A nudge never expires (an ignored one is repeated, replacing it), but notify-osd turns
  every notification that never expires into such a dialog too, actions or not. Without
  actions the bubble only informs, so it expires as the server sees fit.
- xfce4-notifyd draws *every* action as a button, ``default`` included. Our ``default``
  action (a click on the bubble) starts the drill, with the same label as the "Start drill"
  button, so the bubble would read "Start drill" twice. For those servers ``default`` is
  left out: the "Start drill" button remains, one click away. Every other server (dunst,
  mako, GNOME, KDE, ...) keeps ``default``, so a click on the bubble opens the drill.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

# Servers that show the ``default`` action as a button instead of as a click on the bubble.
# Matched on GetServerInformation's name, lower case.
DEFAULT_AS_BUTTON_SERVERS = frozenset({"xfce4-notifyd"})
# Our own action keys besides "default".
DRILL_KEY = "drill"
SNOOZE_KEY = "snooze"
SKIP_KEY = "skip"
DEFAULT_KEY = "default"
# Notify's expire_timeout: never, or as the server sees fit.
EXPIRE_NEVER = 0
EXPIRE_SERVER_DEFAULT = -1


class Answer(Enum):
    """What the user chose on the notification."""

    DRILL = "drill"
    SNOOZE = "snooze"
    SKIP = "skip"


_ANSWERS = {DEFAULT_KEY: Answer.DRILL, DRILL_KEY: Answer.DRILL, SNOOZE_KEY: Answer.SNOOZE, SKIP_KEY: Answer.SKIP}


@dataclass(frozen=True)
class ServerProfile:
    """A notification server as it describes itself.

    Attributes:
        name: GetServerInformation's name, e.g. "dunst", "notify-osd", "xfce4-notifyd".
        vendor: The vendor, e.g. "knopwob".
        version: The server's version string.
        capabilities: GetCapabilities' answer, e.g. {"actions", "body", "body-markup"}.
    """

    name: str
    vendor: str = ""
    version: str = ""
    capabilities: frozenset[str] = field(default_factory=frozenset)

    @property
    def has_actions(self) -> bool:
        """True when the server can show buttons and report clicks."""
        return "actions" in self.capabilities

    @property
    def draws_default_as_button(self) -> bool:
        """True for servers that show the ``default`` action as one more button."""
        return self.name.strip().lower() in DEFAULT_AS_BUTTON_SERVERS

    def describe(self) -> str:
        """Name and version for the log and ``status``, e.g. "dunst 1.9.0"."""
        return f"{self.name} {self.version}".strip()


def nudge_actions(profile: ServerProfile | None, drill_label: str, snooze_label: str,
                  skip_label: str) -> list[str]:
    """The ``actions`` argument of ``Notify`` for a nudge on this server.

    Args:
        profile: The server, or None while it is not known yet (then the common case is
            assumed: actions, and ``default`` as a click on the bubble).
        drill_label: Text of the "Start drill" button.
        snooze_label: Text of the snooze button.
        skip_label: Text of the skip button.

    Returns:
        Key/label pairs, flattened as the specification wants; empty when the server has no
        ``actions`` capability (see the module docstring for why).
    """
    if profile is not None and not profile.has_actions:
        return []
    buttons = [DRILL_KEY, drill_label, SNOOZE_KEY, snooze_label, SKIP_KEY, skip_label]
    if profile is not None and profile.draws_default_as_button:
        return buttons
    return [DEFAULT_KEY, drill_label, *buttons]


def nudge_expire_timeout(profile: ServerProfile | None) -> int:
    """``Notify``'s expire_timeout for a nudge on this server (see the module docstring)."""
    if profile is not None and not profile.has_actions:
        return EXPIRE_SERVER_DEFAULT
    return EXPIRE_NEVER


def reminder_actions(profile: ServerProfile | None, actions: list[tuple[str, str]]) -> list[str]:
    """The ``actions`` argument of ``Notify`` for a reminder of any kind (first action = click).

    Args:
        profile: The server, or None while it is not known yet.
        actions: (key, label) pairs in button order.
    """
    if (profile is not None and not profile.has_actions) or not actions:
        return []
    buttons = [part for key, label in actions for part in (key, label)]
    if profile is not None and profile.draws_default_as_button:
        return buttons
    return [DEFAULT_KEY, actions[0][1], *buttons]


def reminder_answer(shown: ShownNudge | None, notification_id: int, action_key: str,
                    keys: tuple[str, ...]) -> str | None:
    """The action key an ``ActionInvoked`` signal carries for our reminder, or None.

    Same rules as ``answer_for`` (our id only; on id 0 only our own keys): "default" means
    the first action.
    """
    if shown is None or not shown.with_actions or notification_id != shown.notification_id or not keys:
        return None
    if action_key == DEFAULT_KEY:
        return None if notification_id == 0 else keys[0]
    return action_key if action_key in keys else None


@dataclass(frozen=True)
class ShownNudge:
    """Our nudge as the server holds it.

    Attributes:
        notification_id: The id ``Notify`` returned (0 from servers such as notify-osd).
        with_actions: Whether we sent it actions.
    """

    notification_id: int
    with_actions: bool


def answer_for(shown: ShownNudge | None, notification_id: int, action_key: str) -> Answer | None:
    """The user's answer an ``ActionInvoked`` signal carries for our nudge, or None.

    ``ActionInvoked`` is broadcast for every app's notifications, so it counts only when it
    names the nudge we have on screen and one of our keys. Id 0 is no notification by the
    specification, but a server that answered our ``Notify`` with id 0 *and* took our
    actions can only name it that way: then our own button keys ("drill", "snooze",
    "skip") are accepted and the common "default" is not, as other apps' id-0
    notifications use it too. A server we sent no actions to never gets an answer from us.

    Args:
        shown: Our nudge on screen, or None when none is.
        notification_id: The signal's id.
        action_key: The signal's action key.
    """
    if shown is None or not shown.with_actions or notification_id != shown.notification_id:
        return None
    if notification_id == 0 and action_key == DEFAULT_KEY:
        return None
    return _ANSWERS.get(action_key)
