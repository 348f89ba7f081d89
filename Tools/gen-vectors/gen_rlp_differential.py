#!/usr/bin/env python3
"""Writes Vectors/rlp/differential.json: random and mutated RLP inputs with Python rlp's strict verdict on each.

The Swift tests run our strict decoder on the same inputs; every disagreement is a bug to fix or a difference the
README explains.
    python3 Tools/gen-vectors/gen_rlp_differential.py      # from the repository root
"""
import json
import random

import rlp

SEED = 8


def tree(rng, depth=0):
    if depth > 3 or rng.random() < 0.5:
        size = rng.choice([0, 1, 1, 2, 55, 56, 57, 200])
        if size == 1 and rng.random() < 0.5:
            return bytes([rng.randrange(0, 0x80)])
        return bytes(rng.getrandbits(8) for _ in range(size))
    return [tree(rng, depth + 1) for _ in range(rng.randrange(0, 4))]


def mutate(rng, data):
    data = bytearray(data)
    for _ in range(rng.randrange(0, 3)):
        if not data:
            break
        index = rng.randrange(len(data))
        op = rng.randrange(4)
        if op == 0:
            data[index] = rng.randrange(256)
        elif op == 1:
            del data[index]
        elif op == 2:
            data.insert(index, rng.randrange(256))
        else:
            data[index] ^= 1 << rng.randrange(8)
    return bytes(data)


def verdict(data):
    try:
        rlp.decode(data, strict=True)
        return True
    except rlp.exceptions.DecodingError:
        return False


def main():
    rng = random.Random(SEED)
    cases = []
    for _ in range(2500):
        data = mutate(rng, rlp.encode(tree(rng)))
        cases.append({"input": data.hex(), "accepted": verdict(data)})
    for _ in range(500):
        data = bytes(rng.getrandbits(8) for _ in range(rng.randrange(0, 12)))
        cases.append({"input": data.hex(), "accepted": verdict(data)})
    out = {
        "_source": f"Tools/gen-vectors/gen_rlp_differential.py, pyrlp {rlp.__version__ if hasattr(rlp, '__version__') else ''} rlp.decode(strict=True), seed {SEED}",
        "_license": "CC0 (generated data)",
        "cases": cases,
    }
    with open("Vectors/rlp/differential.json", "w") as f:
        json.dump(out, f, indent=0)
        f.write("\n")
    print(f"{len(cases)} cases, {sum(c['accepted'] for c in cases)} accepted by pyrlp")


if __name__ == "__main__":
    main()
