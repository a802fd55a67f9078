"""The log stays bounded while the app runs: rotation by size as it writes, long records cut."""

from __future__ import annotations

import logging

from unsit.runtime.log_file import MAX_RECORD_CHARS, CappedFileHandler


def _logger(handler: logging.Handler) -> logging.Logger:
    logger = logging.getLogger(f"test-capped-{id(handler)}")
    logger.propagate = False
    logger.setLevel(logging.INFO)
    logger.addHandler(handler)
    return logger


def test_the_log_rotates_while_running_and_total_size_is_capped(tmp_path):
    path = tmp_path / "unsit.log"
    handler = CappedFileHandler(path, keep_bytes=10_000, backups=3)
    logger = _logger(handler)
    for i in range(5_000):  # about 300 kB of log lines, far past the cap
        logger.warning("a bad command request was refused: %s", "x" * 40 + str(i))
    handler.close()
    files = sorted(p.name for p in tmp_path.iterdir())
    assert files == ["unsit.log", "unsit.log.1", "unsit.log.2", "unsit.log.3"]
    total = sum(p.stat().st_size for p in tmp_path.iterdir())
    assert total <= 4 * (10_000 + 200), total
    assert "4999" in path.read_text()  # the newest lines are in the current file


def test_one_huge_record_is_cut(tmp_path):
    path = tmp_path / "unsit.log"
    handler = CappedFileHandler(path, keep_bytes=10_000_000)
    logger = _logger(handler)
    logger.warning("bad value %s", "v" * 50_000_000)
    handler.close()
    text = path.read_text()
    assert len(text) < MAX_RECORD_CHARS + 200
    assert "the record had" in text
