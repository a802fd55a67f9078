"""Stand-ins for the desktop parts the Controller talks to (recording what they were told)."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal


class FakeIdle:
    name = "fake"

    def __init__(self):
        self.value: float | None = 0.0

    def idle_seconds(self):
        return self.value

    def close(self):
        pass


class FakeSession(QObject):
    locked_changed = Signal(bool)
    sleep_started = Signal()
    resumed = Signal()

    def __init__(self):
        super().__init__()
        self.locked = False


class FakePresenter(QObject):
    drill_requested = Signal()
    snooze_requested = Signal()
    skip_requested = Signal()
    answered = Signal(str, str)

    def __init__(self):
        super().__init__()
        self.presented = []
        self.withdrawn = 0
        self.style = None
        self.reminders = []
        self.reminders_withdrawn = []
        self.informed = []

    def present(self, nudge):
        self.presented.append(nudge)

    def inform(self, title, body):
        self.informed.append((title, body))

    def withdraw(self):
        self.withdrawn += 1

    def set_style(self, style):
        self.style = style

    def present_reminder(self, kind, title, body, actions):
        self.reminders.append((kind, title, body, actions))

    def withdraw_reminder(self, kind):
        self.reminders_withdrawn.append(kind)


class FakeTray:
    def __init__(self):
        self.views = []

    def update_view(self, look, fraction, tooltip, status_line, **kw):
        self.views.append((look, fraction, tooltip, status_line, kw))


class FakeJobs(QObject):
    pause_ended = Signal()
    work_hours_boundary = Signal()
    day_rolled_over = Signal()

    def __init__(self):
        super().__init__()
        self.pause_end = "unset"
        self.boundary = "unset"
        self.wakeups = 0

    def schedule_pause_end(self, at):
        self.pause_end = at

    def schedule_work_hours_boundary(self, at):
        self.boundary = at

    def wakeup(self):
        self.wakeups += 1


class FakeHistory:
    def __init__(self):
        self.rows = []

    def record(self, kind, at, **fields):
        self.rows.append((kind, fields))

    def kinds(self):
        return [k for k, _ in self.rows]

    pending_events = 0

    def retry_pending(self):
        return True


class FakeWindows(QObject):
    drill_finished = Signal(str, float)
    drill_ended_early = Signal(str, float)

    def __init__(self):
        super().__init__()
        self.opened = []
        self.routines_opened = []
        from types import SimpleNamespace

        self.routines = [SimpleNamespace(id="morning", name="Morning hip routine", source="morning.toml",
                                         translations={}),
                         SimpleNamespace(id="warm-up", name="Warm-up before a walk or run",
                                         source="warm-up.toml", translations={})]
        self.history_refreshes = 0
        self.shown_running = 0
        self.running = None  # the running drill's title (None: none runs)

    def drills_today(self):
        return len(self.opened) or None

    def show_running_drill(self):
        self.shown_running += 1
        return True

    def routine_titles(self):
        from unsit.text.drill_text import routine_name

        return [(r.id, routine_name(r)) for r in self.routines]

    def open_drill(self, family, settings):
        from types import SimpleNamespace

        self.opened.append(family)
        return SimpleNamespace(id="standing-hip-circles", name="Standing hip circles",
                               source="standing-hip-circles.toml", translations={})

    def running_drill_title(self):
        return self.running

    def open_routine(self, routine_id, settings):
        self.routines_opened.append(routine_id)
        return None if routine_id == "unknown" else f"routine:{routine_id}"

    def refresh_history(self):
        self.history_refreshes += 1


class FakeQuiet:
    """Do-not-disturb as the test says; callable like DndWatcher.quiet_reasons."""

    def __init__(self):
        self.value = frozenset()

    def __call__(self):
        return self.value


class FakeClockChanges(QObject):
    changed = Signal()
