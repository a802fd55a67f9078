"""The app's log: in the user log dir, rotated at start-up past 1 MB, three old ones kept."""

from __future__ import annotations

from unsit.log_file import LOG_KEEP_BYTES, rotate_log


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
