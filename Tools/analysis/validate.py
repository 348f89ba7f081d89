#!/usr/bin/env python3
"""Validates rlpx-tool reports against Schemas/report-v1.schema.json.

    validate.py FILE.jsonl ...            every line of `conformance --format jsonl` output
    validate.py --probe FILE.json ...     `probe --format json` documents

Prints one line per invalid line (file:line: what is wrong) and exits 1 if any; 0 when every line is valid.
A file that is not JSON Lines at all, or has no summary line, is invalid too.
"""
import argparse
import json
import pathlib
import sys

import jsonschema

SCHEMA = pathlib.Path(__file__).resolve().parents[2] / "Schemas" / "report-v1.schema.json"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--probe", action="store_true", help="the files are probe --format json documents")
    parser.add_argument("--schema", default=str(SCHEMA))
    parser.add_argument("files", nargs="+")
    args = parser.parse_args()
    schema = json.loads(pathlib.Path(args.schema).read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    if args.probe:
        schema = {**schema, "oneOf": [{"$ref": "#/$defs/probeReport"}]}
    validator = jsonschema.Draft202012Validator(schema)
    errors = 0
    checked = 0
    for name in args.files:
        text = pathlib.Path(name).read_text(encoding="utf-8")
        documents = [(1, text)] if args.probe else [(n, line) for n, line in enumerate(text.splitlines(), 1) if line.strip()]
        types = []
        for number, line in documents:
            checked += 1
            try:
                value = json.loads(line)
            except json.JSONDecodeError as error:
                print(f"{name}:{number}: not JSON: {error}")
                errors += 1
                continue
            problems = sorted(validator.iter_errors(value), key=lambda e: list(e.absolute_path))
            if problems:
                errors += 1
                best = jsonschema.exceptions.best_match(problems)
                where = "/".join(str(p) for p in best.absolute_path) or "(document)"
                print(f"{name}:{number}: {where}: {best.message}")
            if isinstance(value, dict):
                types.append(value.get("type"))
        if not args.probe and (not types or types[-1] != "summary"):
            print(f"{name}: the last line is not the summary")
            errors += 1
    print(f"{checked} documents, {errors} invalid", file=sys.stderr)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
