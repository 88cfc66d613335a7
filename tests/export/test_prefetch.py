"""write_outputs reads spools in a background thread: order kept, errors raised in the
consumer, and a consumer that stops early does not leave the thread hanging."""

from __future__ import annotations

import threading
import time

import pytest

from biocurate.export.pipeline import prefetched


def test_items_come_in_order() -> None:
    assert list(prefetched(iter(range(1000)), depth=3)) == list(range(1000))
    assert list(prefetched(iter([]))) == []


def test_a_producer_error_is_raised_in_the_consumer() -> None:
    def items():
        yield 1
        raise ValueError("broken spool")

    got = []
    with pytest.raises(ValueError, match="broken spool"):
        for item in prefetched(items()):
            got.append(item)
    assert got == [1]


def test_stopping_early_stops_and_closes_the_producer() -> None:
    closed = threading.Event()

    def items():
        try:
            for i in range(10_000):
                yield i
        finally:
            closed.set()

    before = threading.active_count()
    stream = prefetched(items(), depth=2)
    assert next(stream) == 0
    stream.close()  # the consumer gives up with the queue full
    assert closed.wait(5)
    deadline = time.monotonic() + 5
    while threading.active_count() > before and time.monotonic() < deadline:
        time.sleep(0.01)
    assert threading.active_count() == before
