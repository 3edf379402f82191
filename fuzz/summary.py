"""Summarise the logs of ``run_all.sh``: one row per reader.

    python fuzz/summary.py [LOG_DIR]     # default /tmp/fuzz-logs

For each ``<reader>.log``: the seconds run (for a run a crash stopped, the
wall time from ``runs.txt``, marked ``~``), the executions, libFuzzer's last
coverage figures (``cov``: code edges reached; ``ft``: features, finer than
edges), the corpus size, and the crash if one stopped the run (the exception
and the file the reproducer was written to).
"""

from __future__ import annotations

import re
import sys
from datetime import datetime
from pathlib import Path

_STATUS = re.compile(r"^#(\d+)\s+\w+\s+cov: (\d+) ft: (\d+) corp: (\d+)/")
_EXECUTED = re.compile(r"^stat::number_of_executed_units: (\d+)")
_DONE = re.compile(r"^Done (\d+) runs in (\d+) second")
_ARTIFACT = re.compile(r"Test unit written to (\S+)")
_EXCEPTION = re.compile(r"^(\w+(?:\.\w+)*(?:Error|Exception|Warning)\b.*)$")
_RUN = re.compile(r"^== (\S+): (?:exit \d+ at )?(\S+?)(?: for \d+s)?$")


def wall_seconds(runs: Path) -> dict[str, str]:
    """Seconds from start to exit of each reader's last run in ``runs.txt`` (crashes included)."""
    starts: dict[str, datetime] = {}
    seconds: dict[str, str] = {}
    if not runs.exists():
        return seconds
    for line in runs.read_text(encoding="utf-8").splitlines():
        match = _RUN.match(line)
        if match is None:
            continue
        reader, stamp = match.group(1), datetime.fromisoformat(match.group(2))
        if " exit " in line and reader in starts:
            seconds[reader] = f"~{round((stamp - starts[reader]).total_seconds())}"
        else:
            starts[reader] = stamp
    return seconds


def summarise(log: Path) -> dict[str, str]:
    """Return the figures of one log."""
    row = {
        "reader": log.stem,
        "seconds": "?",
        "executions": "?",
        "cov": "?",
        "ft": "?",
        "corpus": "?",
        "crash": "none",
    }
    crash: list[str] = []
    in_crash = False
    for line in log.read_text(encoding="utf-8", errors="replace").splitlines():
        if match := _STATUS.match(line):
            row["executions"], row["cov"], row["ft"], row["corpus"] = match.groups()
        elif match := _EXECUTED.match(line):
            row["executions"] = match.group(1)
        elif match := _DONE.match(line):
            row["seconds"] = match.group(2)
        elif "Uncaught Python exception" in line:
            in_crash = True
        elif in_crash and (match := _EXCEPTION.match(line)):
            crash.append(match.group(1)[:160])
            in_crash = False
        elif match := _ARTIFACT.search(line):
            crash.append(match.group(1))
    if crash:
        row["crash"] = " -> ".join(crash)
    return row


def main() -> None:
    """Print a Markdown table of every log in the folder."""
    folder = Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/fuzz-logs")
    columns = ["reader", "seconds", "executions", "cov", "ft", "corpus", "crash"]
    print("| " + " | ".join(columns) + " |")
    print("|" + "---|" * len(columns))
    wall = wall_seconds(folder / "runs.txt")
    for log in sorted(folder.glob("*.log")):
        row = summarise(log)
        if row["seconds"] == "?" and log.stem in wall:
            row["seconds"] = wall[log.stem]  # wall time, with start-up: the run stopped early
        print("| " + " | ".join(row[c] for c in columns) + " |")


if __name__ == "__main__":
    main()
