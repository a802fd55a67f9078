"""A client on a session bus that sends signals in another service's name (it owns no name).

Any client can send a signal with any interface, path and member: a bus only sets the
sender field, to the client's own unique name. A signal sent *to* one connection (with a
destination) reaches it whatever that connection's match rules say.
"""

from __future__ import annotations

from typing import Any

from jeepney import DBusAddress, new_signal
from jeepney.io.blocking import DBusConnection, open_dbus_connection


class Spoofer:
    """One plain connection to the bus at ``address`` that sends look-alike signals."""

    def __init__(self, address: str) -> None:
        self.connection: DBusConnection = open_dbus_connection(address)

    def emit(self, path: str, interface: str, member: str, signature: str, body: tuple[Any, ...],
             destination: str | None = None) -> None:
        """Send one signal, to everyone whose match rules take it, or only to ``destination``."""
        message = new_signal(DBusAddress(path, interface=interface), member, signature, body)
        if destination is not None:
            from jeepney import HeaderFields

            message.header.fields[HeaderFields.destination] = destination
        self.connection.send(message)

    def close(self) -> None:
        self.connection.close()

    def __enter__(self) -> Spoofer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
