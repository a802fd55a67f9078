"""A real pointer on a headless sway: a wlr virtual pointer, driven from the test process.

wlroots' headless backend has no input devices, so sway's seat offers clients no pointer and
``swaymsg seat - cursor press`` reaches nobody. sway does offer
``zwlr_virtual_pointer_manager_v1``; a virtual pointer made through it is an input device like
a mouse (the seat gains the pointer capability), and its motion and button events go through
sway's normal pointer handling to the surface under the cursor (e.g. waybar's tray icon).

pywayland ships only the wayland-protocols family, so the protocol's description below (the
requests used here, from the wlr-protocols specification) is turned into bindings by
pywayland's own scanner at first use.
"""

from __future__ import annotations

import importlib
import select
import sys
import time
from pathlib import Path
from typing import Any

PROTOCOL_XML = """\
<?xml version="1.0" encoding="UTF-8"?>
<protocol name="wlr_virtual_pointer_unstable_v1">
  <interface name="zwlr_virtual_pointer_v1" version="2">
    <request name="motion">
      <arg name="time" type="uint"/>
      <arg name="dx" type="fixed"/>
      <arg name="dy" type="fixed"/>
    </request>
    <request name="motion_absolute">
      <arg name="time" type="uint"/>
      <arg name="x" type="uint"/>
      <arg name="y" type="uint"/>
      <arg name="x_extent" type="uint"/>
      <arg name="y_extent" type="uint"/>
    </request>
    <request name="button">
      <arg name="time" type="uint"/>
      <arg name="button" type="uint"/>
      <arg name="state" type="uint"/>
    </request>
    <request name="axis">
      <arg name="time" type="uint"/>
      <arg name="axis" type="uint"/>
      <arg name="value" type="fixed"/>
    </request>
    <request name="frame"/>
    <request name="axis_source">
      <arg name="axis_source" type="uint"/>
    </request>
    <request name="axis_stop">
      <arg name="time" type="uint"/>
      <arg name="axis" type="uint"/>
    </request>
    <request name="axis_discrete">
      <arg name="time" type="uint"/>
      <arg name="axis" type="uint"/>
      <arg name="value" type="fixed"/>
      <arg name="discrete" type="int"/>
    </request>
    <request name="destroy" type="destructor"/>
  </interface>
  <interface name="zwlr_virtual_pointer_manager_v1" version="2">
    <request name="create_virtual_pointer">
      <arg name="seat" type="object" interface="wl_seat" allow-null="true"/>
      <arg name="id" type="new_id" interface="zwlr_virtual_pointer_v1"/>
    </request>
    <request name="destroy" type="destructor"/>
  </interface>
</protocol>
"""

MANAGER = "zwlr_virtual_pointer_manager_v1"
BUTTON_LEFT = 0x110  # BTN_LEFT, linux/input-event-codes.h
BUTTON_RIGHT = 0x111
PRESSED, RELEASED = 1, 0
TIMEOUT_SECONDS = 5.0


def _bindings(workdir: Path) -> Any:
    """The generated module of the manager interface (built into ``workdir`` once per process)."""
    from pywayland.scanner.protocol import Protocol

    package = workdir / "wlr_bindings"
    if not (package / "wlr_virtual_pointer_unstable_v1").is_dir():
        package.mkdir(parents=True, exist_ok=True)
        (package / "__init__.py").write_text("")
        xml = package / "wlr-virtual-pointer-unstable-v1.xml"
        xml.write_text(PROTOCOL_XML)
        protocol = Protocol.parse_file(str(xml))
        # The scanner writes imports relative to its output package; wl_seat lives in pywayland.
        imports = {"wl_seat": "wayland"}
        imports.update({interface.name: protocol.name for interface in protocol.interface})
        protocol.output(str(package), imports)
        module = package / f"{protocol.name}.py"
        module.write_text(module.read_text().replace("from .wayland import", "from pywayland.protocol.wayland import"))
    if str(workdir) not in sys.path:
        sys.path.insert(0, str(workdir))
    return importlib.import_module("wlr_bindings.wlr_virtual_pointer_unstable_v1")


class VirtualPointer:
    """One virtual pointer on the compositor at ``socket_path``; close it to unplug it."""

    def __init__(self, socket_path: str, workdir: Path) -> None:
        from pywayland.client.display import Display
        from pywayland.protocol.wayland import WlSeat

        module = _bindings(workdir)
        self._display = Display(socket_path)
        self._display.connect()
        found: dict[str, int] = {}
        registry = self._display.get_registry()
        registry.dispatcher["global"] = lambda _r, name, interface, _version: found.setdefault(interface, name)
        self._roundtrip()
        if MANAGER not in found:
            raise RuntimeError(f"the compositor does not offer {MANAGER}")
        seat = registry.bind(found["wl_seat"], WlSeat, 1)
        manager = registry.bind(found[MANAGER], module.ZwlrVirtualPointerManagerV1, 1)
        self._pointer = manager.create_virtual_pointer(seat)
        self._keep = [registry, seat, manager]
        self._roundtrip()

    def click(self, x: int, y: int, extent: tuple[int, int], button: int = BUTTON_LEFT) -> None:
        """Move to (x, y) of an output-layout box ``extent`` big, press and release ``button``."""
        stamp = int(time.monotonic() * 1000) & 0xFFFFFFFF
        self._pointer.motion_absolute(stamp, x, y, extent[0], extent[1])
        self._pointer.frame()
        self._roundtrip()  # the surface under the cursor gets enter + motion before the press
        self._pointer.button(stamp + 1, button, PRESSED)
        self._pointer.frame()
        self._pointer.button(stamp + 2, button, RELEASED)
        self._pointer.frame()
        self._roundtrip()

    def _roundtrip(self) -> None:
        done: list[bool] = []
        callback = self._display.sync()
        callback.dispatcher["done"] = lambda _proxy, _data: done.append(True)
        deadline = time.monotonic() + TIMEOUT_SECONDS
        while not done:
            self._display.flush()
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise RuntimeError("the compositor did not answer in time")
            readable, _, _ = select.select([self._display.get_fd()], [], [], remaining)
            if readable:
                self._display.dispatch(block=True)

    def close(self) -> None:
        """Unplug the pointer and disconnect."""
        self._pointer.destroy()
        self._display.flush()
        self._display.disconnect()
