#!/usr/bin/env python3
"""Runs `rlpx-tool conformance` over many captures as a Dask job, then loads the reports into DuckDB.

    fanout.py --tool .build/release/rlpx-tool --out reports/ --workers 2 CAPTURE.pcap ...
    fanout.py --tool ... --out reports/ --shards 8 --scheduler tcp://scheduler:8786 big.pcap

Each task is one `rlpx-tool conformance CAPTURE --keylog KEYLOG --format jsonl --transcript [--shard K/N]`
process writing JSON Lines into --out; a capture's key log is KEYLOG when given as CAPTURE:KEYLOG, else
keylog.txt beside it. With --shards N every capture is split into N tasks by connection (`--shard K/N` replays only
the connections whose endpoints hash to K), so the N reports together hold each connection exactly once. Without
--scheduler the job runs on a LocalCluster of --workers processes on this machine; with it, on that cluster (the
tool and the captures must be at the same paths on its workers). The reports then load into DuckDB (analyze.py),
and the findings of every capture are printed: with --json, as {"tasks", "findings", "messages", "seconds"}.
"""
import argparse
import json
import pathlib
import subprocess
import sys
import time

from dask.distributed import Client, LocalCluster

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import analyze  # noqa: E402


def conformance(tool, capture, keylog, shard, count, out):
    """One task: a conformance run written to `out`; its status, time, and messages and findings counted."""
    arguments = [tool, "conformance", capture, "--format", "jsonl", "--transcript", "--jobs", "1", "--allow-undecrypted"]
    if keylog:
        arguments += ["--keylog", keylog]
    if count > 1:
        arguments += ["--shard", f"{shard}/{count}"]
    start = time.monotonic()
    with open(out, "wb") as output:
        status = subprocess.run(arguments, stdout=output, stderr=subprocess.PIPE).returncode
    seconds = time.monotonic() - start
    if status not in (0, 1):
        raise RuntimeError(f"{' '.join(arguments)} exited {status}")
    messages = findings = 0
    with open(out, encoding="utf-8") as lines:
        for line in lines:
            messages += line.startswith('{"type":"message"')
            findings += line.startswith('{"type":"finding"')
    return {"capture": capture, "shard": shard, "shards": count, "report": out, "status": status, "seconds": seconds,
            "messages": messages, "findings": findings}


def tasks(captures, shards, out):
    """(capture, key log, shard, shards, report path) for every task."""
    made = []
    for number, text in enumerate(captures):
        capture, _, keylog = text.partition(":")
        path = pathlib.Path(capture).resolve()
        if not keylog and (path.parent / "keylog.txt").exists():
            keylog = str(path.parent / "keylog.txt")
        stem = f"{number:04d}-{path.parent.name}-{path.stem}"
        for shard in range(1, shards + 1):
            made.append((str(path), keylog or None, shard, shards, str(pathlib.Path(out).resolve() / f"{stem}.shard-{shard}-of-{shards}.jsonl")))
    return made


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tool", required=True, help="the rlpx-tool executable")
    parser.add_argument("--out", required=True, help="the folder the JSON Lines reports go to")
    parser.add_argument("--shards", type=int, default=1, help="tasks per capture, split by connection")
    parser.add_argument("--workers", type=int, default=2, help="LocalCluster worker processes (without --scheduler)")
    parser.add_argument("--scheduler", help="a Dask scheduler's address: run there instead of on a LocalCluster")
    parser.add_argument("--json", action="store_true", help="print the tasks and every finding as JSON")
    parser.add_argument("captures", nargs="+", help="CAPTURE or CAPTURE:KEYLOG")
    args = parser.parse_args()
    pathlib.Path(args.out).mkdir(parents=True, exist_ok=True)
    tool = str(pathlib.Path(args.tool).resolve())
    if args.scheduler:
        client = Client(args.scheduler)
    else:
        # One thread per worker process: each task is a process of its own, so a worker runs one at a time.
        client = Client(LocalCluster(n_workers=args.workers, threads_per_worker=1, processes=True, dashboard_address=None))
    start = time.monotonic()
    futures = [client.submit(conformance, tool, *task, pure=False) for task in tasks(args.captures, args.shards, args.out)]
    results = client.gather(futures)
    seconds = time.monotonic() - start
    client.close()
    connection = analyze.connect([result["report"] for result in results])
    captures = {result["report"]: result["capture"] for result in results}
    findings = [
        {**row, "capture": captures[row["report"]]}
        for row in analyze.run(connection, "SELECT report, rule, severity, connection, side, time, detail FROM findings")
    ]
    messages = sum(result["messages"] for result in results)
    if args.json:
        json.dump({"tasks": results, "findings": findings, "messages": messages, "seconds": seconds}, sys.stdout, indent=1, default=str)
        print()
    else:
        print(f"{len(results)} tasks, {messages} messages in {seconds:.1f} s ({messages / max(seconds, 1e-9):.0f} messages/s), "
              f"{len(findings)} findings")
        print(analyze.table(analyze.run(connection, (HERE / "queries" / "findings_per_rule_and_client.sql").read_text())))
    return 0


if __name__ == "__main__":
    sys.exit(main())
