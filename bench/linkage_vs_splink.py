"""Retorno and Splink side by side on the same synthetic registries: precision, recall, F1,
wall time, peak memory.

    make bench-linkage                       # 10k and 100k records
    make bench-linkage SIZES="10000 100000 1000000"

Each size: the registry is generated once (bench/generate_registry.py, cached in bench/data/),
then `manage.py match_csv --left FILE` (Retorno, in the project's venv) and
`bench/splink_runner.py` (Splink 5 on DuckDB, in .venv-bench) deduplicate the same file, each in
its own process, at the same probability threshold. Pairs are scored against the `cluster`
column, which neither tool sees. Peak memory is the process's maximum resident set size.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import sys
import time
from collections import defaultdict
from itertools import combinations
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "bench" / "data"


def truth_pairs(path: Path) -> tuple[set[tuple[str, str]], int]:
    clusters: dict[str, list[str]] = defaultdict(list)
    with open(path, encoding="utf-8") as f:
        for row in csv.DictReader(f):
            clusters[row["cluster"]].append(row["id"])
    pairs = {tuple(sorted(p)) for ids in clusters.values() for p in combinations(ids, 2)}
    return pairs, sum(len(ids) for ids in clusters.values())  # type: ignore[return-value]


def predicted(path: Path) -> set[tuple[str, str]]:
    with open(path, encoding="utf-8") as f:
        return {tuple(sorted((r["left_id"], r["right_id"]))) for r in csv.DictReader(f)}  # type: ignore[misc]


def run(command: list[str]) -> tuple[float, float]:
    """Wall seconds and peak RSS (MiB) of one child process, measured by GNU time."""
    report = DATA / "time.txt"
    env = {**os.environ, "RETORNO_ALLOW_INSECURE_KEY": "1", "DATABASE_URL": ""}
    started = time.monotonic()
    subprocess.run(
        ["/usr/bin/time", "-f", "%M", "-o", str(report), *command],
        check=True,
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    seconds = time.monotonic() - started
    return seconds, int(report.read_text().split()[-1]) / 1024


def scores(found: set[tuple[str, str]], truth: set[tuple[str, str]]) -> tuple[float, float, float]:
    tp = len(found & truth)
    precision = tp / len(found) if found else 0.0
    recall = tp / len(truth) if truth else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="10000 100000")
    parser.add_argument("--threshold", type=float, default=0.95)
    parser.add_argument("--splink-python", default=str(ROOT / ".venv-bench" / "bin" / "python"))
    args = parser.parse_args()
    DATA.mkdir(parents=True, exist_ok=True)
    print(f"{'records':>9} {'tool':8} {'precision':>9} {'recall':>7} {'F1':>7} {'seconds':>8} {'peak MiB':>9}")
    for size in (int(s) for s in args.sizes.split()):
        source = DATA / f"registry_{size}.csv"
        if not source.exists():
            subprocess.run(
                [sys.executable, "bench/generate_registry.py", "--people", str(size), "--out", str(source)], check=True, cwd=ROOT
            )
        truth, records = truth_pairs(source)
        tools = {
            "retorno": [
                sys.executable,
                "manage.py",
                "match_csv",
                "--left",
                str(source),
                "--out",
                str(DATA / f"retorno_{size}.csv"),
                "--threshold",
                str(args.threshold),
            ],
            "splink": [
                args.splink_python,
                "bench/splink_runner.py",
                "--input",
                str(source),
                "--out",
                str(DATA / f"splink_{size}.csv"),
                "--threshold",
                str(args.threshold),
            ],
        }
        for tool, command in tools.items():
            seconds, peak = run(command)
            precision, recall, f1 = scores(predicted(DATA / f"{tool}_{size}.csv"), truth)
            print(f"{records:>9} {tool:8} {precision:9.4f} {recall:7.4f} {f1:7.4f} {seconds:8.1f} {peak:9.0f}", flush=True)
            result = {
                "records": records,
                "tool": tool,
                "precision": precision,
                "recall": recall,
                "f1": f1,
                "seconds": seconds,
                "peak_mib": peak,
            }
            with open(DATA / "linkage_results.jsonl", "a", encoding="utf-8") as out:
                out.write(json.dumps(result) + "\n")


if __name__ == "__main__":
    main()
