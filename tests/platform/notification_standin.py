"""A stand-in freedesktop notification server for tests, posing as a named real one.

Run ``python -m tests.platform.notification_standin --name notify-osd --caps body --id-zero``
on the bus in ``DBUS_SESSION_BUS_ADDRESS``. It answers the calls every server answers,
records each ``Notify`` and ``CloseNotification`` it gets, and offers a test interface on
the same object path:

- ``Calls() -> s``: the recorded calls as a JSON list;
- ``InvokeAction(u id, s key)``: send ``ActionInvoked`` as if the user clicked;
- ``Release()``: answer the ``Notify`` calls held back (started with ``--hold``, which also
  leaves every property ``Get`` unanswered, like a hung server);
- ``Flood(u count, s member, u first_id)``: send ``count`` ``ActionInvoked`` or
  ``NotificationClosed`` signals for ids from ``first_id`` on (other apps' notifications).

Bad modes, for the robustness tests (a buggy or hostile server):

- ``--notify-answer string|empty``: answer ``Notify`` with a string, or with no body at all;
- ``--info short|huge``: ``GetServerInformation`` with two fields, or with a name and version of
  ``--huge-chars`` characters each;
- ``--caps-type u``: ``GetCapabilities`` answered with a number instead of a list;
- ``--first-id N``: hand out ids from N on (N >= 2**31: ids a signed 32-bit int cannot hold).
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from jeepney import DBusAddress, HeaderFields, Message, MessageType, new_error, new_method_return, new_signal
from jeepney.bus_messages import message_bus
from jeepney.io.blocking import DBusConnection, open_dbus_connection

BUS_NAME = "org.freedesktop.Notifications"
PATH = "/org/freedesktop/Notifications"
INTERFACE = "org.freedesktop.Notifications"
TEST_INTERFACE = "org.unsit.TestServer"
DO_NOT_QUEUE = 4
PRIMARY_OWNER = 1


class StandIn:
    """The server's state: what it was asked, and the ids it gave."""

    def __init__(self, conn: DBusConnection, args: argparse.Namespace) -> None:
        self.conn = conn
        self.name: str = args.name
        self.capabilities: list[str] = [c for c in args.caps.split(",") if c]
        self.id_zero: bool = args.id_zero
        self.hold: bool = args.hold
        self.double_reply: bool = args.double_reply
        self.notify_answer: str = args.notify_answer
        self.info: str = args.info
        self.huge_chars: int = args.huge_chars
        self.caps_type: str = args.caps_type
        self.calls: list[dict[str, Any]] = []
        self.held: list[tuple[Message, int]] = []
        self.next_id: int = args.first_id
        self.emitter = DBusAddress(PATH, interface=INTERFACE)

    def handle(self, msg: Message) -> None:
        member = msg.header.fields.get(HeaderFields.member)
        handler = getattr(self, f"on_{member}", None)
        if handler is None:
            self.conn.send(new_error(msg, "org.freedesktop.DBus.Error.UnknownMethod", "s", (str(member),)))
            return
        reply = handler(msg)
        if reply is not None:
            self.conn.send(reply)

    def on_GetCapabilities(self, msg: Message) -> Message:  # noqa: N802 (D-Bus names)
        if self.caps_type == "u":
            return new_method_return(msg, "u", (7,))
        if self.double_reply:  # mako 1.10: the answer, then an UnknownMethod error for the same call
            self.conn.send(new_method_return(msg, "as", (self.capabilities,)))
            return new_error(msg, "org.freedesktop.DBus.Error.UnknownMethod", "s", ("GetCapabilities",))
        return new_method_return(msg, "as", (self.capabilities,))

    def on_GetServerInformation(self, msg: Message) -> Message:  # noqa: N802
        if self.info == "short":
            return new_method_return(msg, "ss", (self.name, "unsit-tests"))
        if self.info == "huge":
            return new_method_return(msg, "ssss", (self.name + "x" * self.huge_chars, "unsit-tests",
                                                   "9" * self.huge_chars, "1.2"))
        return new_method_return(msg, "ssss", (self.name, "unsit-tests", "0.1", "1.2"))

    def on_Notify(self, msg: Message) -> Message | None:  # noqa: N802
        app, replaces, _icon, summary, body, actions, _hints, expire = msg.body
        self.calls.append({"member": "Notify", "app_name": app, "replaces_id": replaces, "summary": summary,
                           "body": body, "actions": list(actions), "expire_timeout": expire})
        if self.id_zero:
            notification_id = 0
        elif replaces:
            notification_id = replaces
        else:
            notification_id, self.next_id = self.next_id, self.next_id + 1
        if self.hold:
            self.held.append((msg, notification_id))
            return None
        if self.notify_answer == "string":
            return new_method_return(msg, "s", (str(notification_id),))
        if self.notify_answer == "empty":
            return new_method_return(msg)
        return new_method_return(msg, "u", (notification_id,))

    def on_Get(self, msg: Message) -> Message | None:  # noqa: N802 - org.freedesktop.DBus.Properties
        """No properties here (as before); with ``--hold`` the read is never answered (a hung server)."""
        if self.hold:
            return None
        return new_error(msg, "org.freedesktop.DBus.Error.UnknownMethod", "s", ("Get",))

    def on_CloseNotification(self, msg: Message) -> Message:  # noqa: N802
        (notification_id,) = msg.body
        self.calls.append({"member": "CloseNotification", "id": notification_id})
        self.conn.send(new_signal(self.emitter, "NotificationClosed", "uu", (notification_id, 3)))
        return new_method_return(msg)

    def on_Calls(self, msg: Message) -> Message:  # noqa: N802
        return new_method_return(msg, "s", (json.dumps(self.calls),))

    def on_InvokeAction(self, msg: Message) -> Message:  # noqa: N802
        notification_id, key = msg.body
        self.conn.send(new_signal(self.emitter, "ActionInvoked", "us", (notification_id, key)))
        return new_method_return(msg)

    def on_Flood(self, msg: Message) -> Message:  # noqa: N802
        count, member, first_id = msg.body
        signature, second = ("us", "default") if member == "ActionInvoked" else ("uu", 2)
        for offset in range(count):
            self.conn.send(new_signal(self.emitter, member, signature, (first_id + offset, second)))
        return new_method_return(msg)

    def on_Release(self, msg: Message) -> Message:  # noqa: N802
        held, self.held, self.hold = self.held, [], False
        for call, notification_id in held:
            self.conn.send(new_method_return(call, "u", (notification_id,)))
        return new_method_return(msg)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--name", default="standin")
    parser.add_argument("--caps", default="actions,body")
    parser.add_argument("--id-zero", action="store_true", help="answer every Notify with id 0 (notify-osd)")
    parser.add_argument("--hold", action="store_true", help="answer Notify only after Release()")
    parser.add_argument("--double-reply", action="store_true",
                        help="answer GetCapabilities twice, the second time with an error (mako 1.10)")
    parser.add_argument("--notify-answer", choices=("ok", "string", "empty"), default="ok",
                        help="answer Notify with an id (ok), a string, or nothing")
    parser.add_argument("--info", choices=("ok", "short", "huge"), default="ok",
                        help="GetServerInformation: four fields (ok), two, or a huge name and version")
    parser.add_argument("--huge-chars", type=int, default=2_000_000, help="length of a huge name and version")
    parser.add_argument("--caps-type", choices=("as", "u"), default="as", help="GetCapabilities' answer type")
    parser.add_argument("--first-id", type=int, default=1, help="the first notification id handed out")
    args = parser.parse_args()
    conn = open_dbus_connection("SESSION")
    reply = conn.send_and_get_reply(message_bus.RequestName(BUS_NAME, DO_NOT_QUEUE), timeout=5)
    if reply.body[0] != PRIMARY_OWNER:
        raise SystemExit(f"{BUS_NAME} is taken")
    server = StandIn(conn, args)
    while True:
        try:
            msg = conn.receive()
        except (ConnectionError, EOFError, OSError):
            return  # the bus went away
        if msg.header.message_type == MessageType.method_call:
            server.handle(msg)


if __name__ == "__main__":
    main()
