#!/usr/bin/env python3
"""Answers questions about rlpx-tool conformance reports with DuckDB.

    analyze.py REPORT.jsonl ...                      every query in queries/, as tables
    analyze.py --sql my.sql REPORT.jsonl ...         your own query (the views are in load.sql)
    analyze.py --json REPORT.jsonl ...               {query name: [rows]} for programs
    analyze.py --db reports.duckdb REPORT.jsonl ...  keep the loaded database for the duckdb shell

Reports are `rlpx-tool conformance CAPTURE --keylog KEYLOG --format jsonl --transcript` output (without
--transcript the message views are empty). Any number of reports load together: each row says which it came from.
"""
import argparse
import json
import pathlib
import sys

import duckdb

HERE = pathlib.Path(__file__).resolve().parent


def connect(reports, database=":memory:"):
    """A DuckDB connection with the reports loaded into the views of load.sql."""
    connection = duckdb.connect(database)
    files = "[" + ", ".join("'" + str(path).replace("'", "''") + "'" for path in reports) + "]"
    connection.execute((HERE / "load.sql").read_text().replace("{files}", files))
    return connection


def run(connection, sql):
    """Rows of the last statement of `sql`, as dicts."""
    cursor = connection.execute(sql)
    columns = [column[0] for column in cursor.description]
    return [dict(zip(columns, row)) for row in cursor.fetchall()]


def table(rows):
    if not rows:
        return "(no rows)\n"
    columns = list(rows[0])
    cells = [[("" if row[c] is None else str(row[c])) for c in columns] for row in rows]
    widths = [max(len(c), *(len(line[i]) for line in cells)) for i, c in enumerate(columns)]
    out = "  ".join(c.ljust(w) for c, w in zip(columns, widths)) + "\n"
    for line in cells:
        out += "  ".join(v.ljust(w) for v, w in zip(line, widths)) + "\n"
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sql", action="append", help="a query file (default: every file in queries/)")
    parser.add_argument("--json", action="store_true", help="print {query: rows} as JSON")
    parser.add_argument("--db", default=":memory:", help="a DuckDB file to keep the loaded reports in")
    parser.add_argument("reports", nargs="+")
    args = parser.parse_args()
    queries = [pathlib.Path(p) for p in args.sql] if args.sql else sorted((HERE / "queries").glob("*.sql"))
    connection = connect(args.reports, args.db)
    results = {query.stem: run(connection, query.read_text()) for query in queries}
    if args.json:
        json.dump(results, sys.stdout, indent=1, default=str)
        print()
    else:
        for name, rows in results.items():
            print(f"-- {name}\n{table(rows)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
