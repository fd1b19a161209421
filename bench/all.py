"""Every heavy page and document at 30,000 (SQLite and PostgreSQL) and 500,000 (PostgreSQL)
enterprises side by side, then the registry import comparison: one command, one report.

Run: FACTORYTIERS_DEV=1 .venv/bin/python bench/all.py
         [--postgres postgres://postgres@127.0.0.1:5432] [--sizes sqlite:30000,postgres:30000,
         postgres:500000] [--repeat 5] [--import-rows 100000] [--reuse] [--keep]

Each data set is built and timed by ``bench/scale.py`` in its own process (so one set's memory
and caches do not carry into the next), writing its figures to JSON; the import comparison is
``bench/registry_import.py`` (ours, django-import-export and the raw floor on one file), whose
table is printed as it is. With --keep the PostgreSQL databases stay (``ft_bench_<n>``) and
--reuse times the pages on them again without generating.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SIZES = "sqlite:30000,postgres:30000,postgres:500000"


def _run_scale(engine: str, size: int, args, folder: Path) -> dict:
    out = folder / f"{engine}-{size}.json"
    command = [
        sys.executable,
        str(ROOT / "bench" / "scale.py"),
        "--enterprises",
        str(size),
        "--repeat",
        str(args.repeat),
        "--slow-after",
        str(args.slow_after),
        "--json",
        str(out),
    ]
    if engine == "postgres":
        command += ["--database-url", f"{args.postgres.rstrip('/')}/ft_bench_{size}"]
        command += ["--keep"] if args.keep else []
    command += ["--reuse"] if args.reuse else []
    print(f"== {engine}, {size:,} enterprises: {' '.join(command[1:])}", flush=True)
    subprocess.run(command, check=True, cwd=ROOT)
    return json.loads(out.read_text())


def _generator_line(result: dict) -> str:
    figures = result["generator"]
    if not figures:
        return f"{result['engine']}, {result['enterprises']:,}: data set of an earlier run"
    cpu_rate = figures["bulk_enterprises"] / max(figures["bulk_cpu_s"], 1e-9)
    return (
        f"{result['engine']}, {result['enterprises']:,}: bulk generator "
        f"{figures['bulk_enterprises']:,} enterprises in {figures['bulk_s']:.1f} s = "
        f"{figures['rate']:,.0f}/s (CPU {cpu_rate:,.0f}/s), peak RSS {figures['peak_rss_mb']:,.0f} MB"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--sizes", default=DEFAULT_SIZES)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--slow-after", type=float, default=30.0)
    parser.add_argument("--import-rows", type=int, default=100_000, help="0: no import run")
    parser.add_argument("--reuse", action="store_true")
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    sizes = []
    for item in args.sizes.split(","):
        engine, _colon, size = item.partition(":")
        if engine not in ("sqlite", "postgres") or not size.isdigit():
            raise SystemExit(f"--sizes: {item!r} is not sqlite:N or postgres:N")
        sizes.append((engine, int(size)))
    with tempfile.TemporaryDirectory() as folder:
        results = [_run_scale(engine, size, args, Path(folder)) for engine, size in sizes]
    print("\n## Pages and documents\n")
    heads = [f"{r['engine']} {r['enterprises']:,}" for r in results]
    print("| page | " + " | ".join(f"{head} median | p95" for head in heads) + " |")
    print("|---|" + "---|---|" * len(heads))
    keys = list(dict.fromkeys(page["key"] for r in results for page in r["pages"]))
    for key in keys:
        cells = []
        label = key
        for result in results:
            page = next((p for p in result["pages"] if p["key"] == key), None)
            if page is None:
                cells += ["—", "—"]
                continue
            label = page["label"]
            median = page["median"] + (f" ({page['status']})" if page["status"] else "")
            cells += [median, page["p95"]]
        print(f"| {label} | " + " | ".join(cells) + " |")
    print("\n## Generator\n")
    for result in results:
        print("- " + _generator_line(result))
    if args.import_rows:
        print("\n## Registry import\n", flush=True)
        script = str(ROOT / "bench" / "registry_import.py")
        subprocess.run(
            [sys.executable, script, "--rows", str(args.import_rows)], check=True, cwd=ROOT
        )


if __name__ == "__main__":
    main()
