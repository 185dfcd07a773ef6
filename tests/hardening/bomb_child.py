"""Child process for the bomb tests: read one hostile file, report time, outcome and memory.

    python bomb_child.py units|meter FILE

Prints one JSON line: {"seconds", "error" (class name or null), "message", "rss_growth_mb"}.
The readers are imported (and warmed up on a small good file) before the baseline is taken,
so `rss_growth_mb` is the peak resident memory the hostile file itself cost.
"""

from __future__ import annotations

import json
import resource
import sys
import time
from pathlib import Path


def peak_mb() -> float:
    # Linux reports ru_maxrss in KiB (macOS in bytes; the tests run this on Linux).
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    which, path = sys.argv[1], Path(sys.argv[2])
    from desktop.errors import KnownError
    from desktop.exchange.generation_inputs import hourly_energy, read_inputs
    from desktop.exchange.units_file import read_units_file

    warm = path.with_name("warm-up.csv")
    warm.write_text("Unit name,Revenue meter ID\nRoof,M1\n", encoding="utf-8")
    read_units_file(warm)
    baseline = peak_mb()
    started = time.perf_counter()
    error: str | None = None
    message = ""
    try:
        if which == "units":
            read_units_file(path)
        else:
            inputs = read_inputs([path])
            messages = [i.located() for i in inputs.readings.issues if i.blocking]
            if messages:
                error, message = "issues", "; ".join(messages)
            else:
                hourly_energy(inputs)
    except KnownError as exc:
        error, message = type(exc).__name__, str(exc)
    seconds = time.perf_counter() - started
    print(
        json.dumps(
            {
                "seconds": round(seconds, 3),
                "error": error,
                "message": message,
                "rss_growth_mb": round(peak_mb() - baseline, 1),
            }
        )
    )


if __name__ == "__main__":
    main()
