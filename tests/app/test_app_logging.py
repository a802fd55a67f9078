"""The app's log: in the user log dir, rotated at start-up past 1 MB, three old ones kept; set up once."""

from __future__ import annotations

import logging

from unsit.runtime.log_file import LOG_KEEP_BYTES, rotate_log, setup_logging


def test_small_logs_are_left_alone(tmp_path):
    log = tmp_path / "unsit.log"
    log.write_text("a few lines\n")
    rotate_log(log)
    assert log.read_text() == "a few lines\n" and not (tmp_path / "unsit.log.1").exists()
    rotate_log(tmp_path / "missing.log")  # no file yet: nothing to do, no error


def test_big_logs_rotate_and_only_three_are_kept(tmp_path):
    log = tmp_path / "unsit.log"
    for generation in range(5):
        log.write_bytes(str(generation).encode() * LOG_KEEP_BYTES)
        rotate_log(log)
        assert not log.exists()
    kept = sorted(p.name for p in tmp_path.iterdir())
    assert kept == ["unsit.log.1", "unsit.log.2", "unsit.log.3"]
    assert (tmp_path / "unsit.log.1").read_bytes()[:1] == b"4"
    assert (tmp_path / "unsit.log.3").read_bytes()[:1] == b"2"


def test_setup_logging_writes_the_log_file_and_warns_on_stderr(tmp_path, capsys):
    root = logging.getLogger()
    before = list(root.handlers)
    try:
        setup_logging(tmp_path / "unsit.log", debug=False)
        logging.getLogger("unsit.test").info("an info line for the file")
        logging.getLogger("unsit.test").warning("a warning for both")
        for handler in root.handlers:
            handler.flush()
        text = (tmp_path / "unsit.log").read_text()
        assert "an info line for the file" in text and "a warning for both" in text
        assert "a warning for both" in capsys.readouterr().err
    finally:
        for handler in root.handlers[:]:
            if handler not in before:
                root.removeHandler(handler)
                handler.close()


def test_setup_logging_says_once_when_the_log_cannot_be_written(tmp_path, capsys):
    (tmp_path / "logs").write_text("a file where the folder should be")
    root = logging.getLogger()
    before = list(root.handlers)
    try:
        setup_logging(tmp_path / "logs" / "unsit.log", debug=True)
        assert "cannot write the log file" in capsys.readouterr().err
        assert not any(isinstance(h, logging.FileHandler) for h in root.handlers if h not in before)
    finally:
        for handler in root.handlers[:]:
            if handler not in before:
                root.removeHandler(handler)
                handler.close()
