"""A stand-in StatusNotifierWatcher with a host, as KDE, xfce4-panel or waybar run it.

It owns ``org.kde.StatusNotifierWatcher`` on a session bus, answers introspection and the
watcher's properties (Qt reads ``IsStatusNotifierHostRegistered`` through a QDBusInterface,
which introspects first), records the items that register and emits the watcher's signals.
Like a real host it can call an item's ``Activate`` / ``ContextMenu`` and its dbusmenu.
"""

from __future__ import annotations

import socket
import threading
import time
from typing import Any

from jeepney import DBusAddress, HeaderFields, MessageType, new_error, new_method_call, new_method_return, new_signal
from jeepney.bus_messages import message_bus
from jeepney.io.blocking import DBusConnection, Proxy, open_dbus_connection

WATCHER = "org.kde.StatusNotifierWatcher"
PATH = "/StatusNotifierWatcher"
INTROSPECTION = f"""<!DOCTYPE node PUBLIC "-//freedesktop//DTD D-BUS Object Introspection 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/introspect.dtd">
<node>
  <interface name="{WATCHER}">
    <method name="RegisterStatusNotifierItem"><arg name="service" type="s" direction="in"/></method>
    <method name="RegisterStatusNotifierHost"><arg name="service" type="s" direction="in"/></method>
    <property name="RegisteredStatusNotifierItems" type="as" access="read"/>
    <property name="IsStatusNotifierHostRegistered" type="b" access="read"/>
    <property name="ProtocolVersion" type="i" access="read"/>
    <signal name="StatusNotifierItemRegistered"><arg type="s"/></signal>
    <signal name="StatusNotifierItemUnregistered"><arg type="s"/></signal>
    <signal name="StatusNotifierHostRegistered"/>
    <signal name="StatusNotifierHostUnregistered"/>
  </interface>
  <interface name="org.freedesktop.DBus.Properties">
    <method name="Get"><arg type="s" direction="in"/><arg type="s" direction="in"/>
      <arg type="v" direction="out"/></method>
    <method name="GetAll"><arg type="s" direction="in"/><arg type="a{{sv}}" direction="out"/></method>
  </interface>
  <interface name="org.freedesktop.DBus.Introspectable">
    <method name="Introspect"><arg type="s" direction="out"/></method>
  </interface>
</node>
"""


class StandInSniHost:
    """The watcher service plus a registered host, served from a thread of the test process."""

    def __init__(self, bus_address: str, host_registered: bool = True) -> None:
        self.items: list[str] = []
        self.host_registered = host_registered
        self._lock = threading.Lock()
        self._conn: DBusConnection = open_dbus_connection(bus_address)
        self._caller: DBusConnection = open_dbus_connection(bus_address)  # calls items, like a host
        reply = Proxy(message_bus, self._conn, timeout=5).RequestName(WATCHER, 4)  # 4: do not queue
        if reply != (1,):
            raise RuntimeError(f"could not own {WATCHER}: {reply}")
        self._emitter = DBusAddress(PATH, interface=WATCHER)
        self._thread = threading.Thread(target=self._serve, name="sni-stand-in", daemon=True)
        self._thread.start()

    # -- the watcher ------------------------------------------------------------------
    def _properties(self) -> dict[str, tuple[str, Any]]:
        with self._lock:
            return {"RegisteredStatusNotifierItems": ("as", list(self.items)),
                    "IsStatusNotifierHostRegistered": ("b", self.host_registered),
                    "ProtocolVersion": ("i", 0)}

    def _serve(self) -> None:
        try:
            while True:
                msg = self._conn.receive()
                if msg.header.message_type == MessageType.method_call:
                    self._conn.send(self._answer(msg))
        except (OSError, ConnectionResetError, EOFError, ValueError):
            return  # closed

    def _answer(self, msg):
        member = msg.header.fields.get(HeaderFields.member)
        if member == "Introspect":
            return new_method_return(msg, "s", (INTROSPECTION,))
        if member == "GetAll":
            return new_method_return(msg, "a{sv}", (self._properties(),))
        if member == "Get":
            props = self._properties()
            if msg.body[1] in props:
                return new_method_return(msg, "v", (props[msg.body[1]],))
            return new_error(msg, "org.freedesktop.DBus.Error.UnknownProperty", "s", (msg.body[1],))
        if member == "RegisterStatusNotifierItem":
            service = msg.body[0]
            if service.startswith("/"):  # some items send only their path
                service = msg.header.fields[HeaderFields.sender] + service
            with self._lock:
                self.items.append(service)
            self._conn.send(new_signal(self._emitter, "StatusNotifierItemRegistered", "s", (service,)))
            return new_method_return(msg)
        if member == "RegisterStatusNotifierHost":
            return new_method_return(msg)
        return new_error(msg, "org.freedesktop.DBus.Error.UnknownMethod", "s", (str(member),))

    def set_host_registered(self, registered: bool) -> None:
        """A panel comes or goes: flip the property and tell listeners."""
        with self._lock:
            self.host_registered = registered
        name = "StatusNotifierHostRegistered" if registered else "StatusNotifierHostUnregistered"
        self._conn.send(new_signal(self._emitter, name))

    # -- being a host -------------------------------------------------------------------
    def call_item(self, service: str, path: str, interface: str, member: str, signature: str = "",
                  body: tuple = ()) -> tuple:
        """Call a method on an item (or its menu) as a host does; returns the reply body."""
        msg = new_method_call(DBusAddress(path, bus_name=service, interface=interface), member, signature, body)
        reply = self._caller.send_and_get_reply(msg, timeout=10)
        if reply.header.message_type != MessageType.method_return:
            raise RuntimeError(f"{member} failed: {reply.body}")
        return reply.body

    def item_property(self, service: str, name: str) -> Any:
        """Read one org.kde.StatusNotifierItem property of an item."""
        return self.call_item(service, "/StatusNotifierItem", "org.freedesktop.DBus.Properties", "Get", "ss",
                              ("org.kde.StatusNotifierItem", name))[0][1]

    def _menu_layout(self, service: str) -> tuple[str, Any]:
        menu_path = self.item_property(service, "Menu")
        _revision, layout = self.call_item(service, menu_path, "com.canonical.dbusmenu", "GetLayout", "iias",
                                           (0, -1, []))
        return menu_path, layout

    def menu_toggle_state(self, service: str, label: str) -> int | None:
        """The ``toggle-state`` of a checkable dbusmenu entry (1 checked, 0 not), as a panel draws it."""
        _path, layout = self._menu_layout(service)
        node = _find_node(layout, label)
        if node is None:
            raise LookupError(f"no menu entry {label!r} in {_labels(layout)}")
        state = node[1].get("toggle-state")
        return None if state is None else int(state[1])

    def menu_click(self, service: str, label: str) -> None:
        """Find the dbusmenu entry whose label is ``label`` and send it a click, as a panel does."""
        menu_path, layout = self._menu_layout(service)
        found = _find_entry(layout, label)
        if found is None:
            raise LookupError(f"no menu entry {label!r} in {_labels(layout)}")
        self.call_item(service, menu_path, "com.canonical.dbusmenu", "Event", "isvu",
                       (found, "clicked", ("i", 0), int(time.time()) & 0xFFFFFFFF))

    def close(self) -> None:
        for conn in (self._conn, self._caller):
            try:
                conn.sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        self._thread.join(timeout=5)
        self._conn.close()
        self._caller.close()


def _clean(label: str) -> str:
    return label.replace("_", "").replace("&", "")


def _find_node(node, label: str):
    _entry_id, props, children = node
    if _clean(str(props.get("label", ("s", ""))[1])) == label:
        return node
    for _sig, child in children:
        found = _find_node(child, label)
        if found is not None:
            return found
    return None


def _find_entry(node, label: str) -> int | None:
    found = _find_node(node, label)
    return None if found is None else found[0]


def _labels(node) -> list[str]:
    _id, props, children = node
    out = [_clean(str(props["label"][1]))] if "label" in props else []
    for _sig, child in children:
        out += _labels(child)
    return out
