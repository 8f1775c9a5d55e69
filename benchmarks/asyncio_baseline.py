#!/usr/bin/env python3
"""asyncio's figures for the loopharness benchmark table (CPython's own event loop, no uvloop).

lifecycle: asyncio.new_event_loop() + run_until_complete(trivial coroutine) + close(), per sample.
sleep0:    asyncio.sleep(0) round trips: one sample is 10,000 of them in one run_until_complete, divided.

Prints JSON: {"python": version, "lifecycle": {"p50_ns", "mean_ns", "samples"}, "sleep0": {...}}.
Runs for a few seconds; pass --quick for a shorter run.
"""

import asyncio
import json
import platform
import statistics
import sys
import time

SWITCHES = 10_000


async def trivial():
    return 1


async def sleeper(n):
    for _ in range(n):
        await asyncio.sleep(0)
    return n


def lifecycle_once():
    start = time.perf_counter_ns()
    loop = asyncio.new_event_loop()
    try:
        loop.run_until_complete(trivial())
    finally:
        loop.close()
    return time.perf_counter_ns() - start


def measure_lifecycle(warmup, samples):
    for _ in range(warmup):
        lifecycle_once()
    return [lifecycle_once() for _ in range(samples)]


def measure_sleep0(warmup, samples):
    loop = asyncio.new_event_loop()
    try:
        for _ in range(warmup):
            loop.run_until_complete(sleeper(SWITCHES))
        result = []
        for _ in range(samples):
            start = time.perf_counter_ns()
            loop.run_until_complete(sleeper(SWITCHES))
            result.append((time.perf_counter_ns() - start) / SWITCHES)
        return result
    finally:
        loop.close()


def summary(values):
    return {"p50_ns": statistics.median(values), "mean_ns": statistics.fmean(values), "samples": len(values)}


def main():
    quick = "--quick" in sys.argv[1:]
    lifecycle = measure_lifecycle(200 if quick else 1_000, 1_000 if quick else 5_000)
    sleep0 = measure_sleep0(3 if quick else 10, 10 if quick else 50)
    print(json.dumps({
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "lifecycle": summary(lifecycle),
        "sleep0": summary(sleep0),
    }, indent=2))


if __name__ == "__main__":
    main()
