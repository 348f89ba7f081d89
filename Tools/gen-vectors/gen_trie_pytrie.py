#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Cross-check vectors for the Trie module from an independent implementation: py-trie's HexaryTrie (PyPI `trie`).

For deterministic (seeded) tries of several shapes it records the root, single-key proofs (present and absent keys),
the node at each prefix of some keys' nibble paths, and range proofs for chosen ranges. py-trie has no range proofs:
a range's proof is py-trie's proof of the origin then of the last key, each node once, as a snap server sends them,
and `hasMore` is whether py-trie's NodeIterator finds a key after the last one.

py-trie's `get_proof` returns every node on the path, embedded ones too; `proof` keeps what go-ethereum's `Prove`
emits (the root, and each node of 32 bytes or more), `pytrieProof` is py-trie's own list where it differs.

Run from the repository root with the pinned versions (Tools/gen-vectors/requirements-trie.txt):

    python3 -m venv /tmp/trievenv && /tmp/trievenv/bin/pip install -r Tools/gen-vectors/requirements-trie.txt
    /tmp/trievenv/bin/python Tools/gen-vectors/gen_trie_pytrie.py [Vectors/trie/pytrie.json]
"""

import json
import os
import random
import sys
from importlib.metadata import version

import rlp
from eth_hash.auto import keccak
from trie import HexaryTrie
from trie.exceptions import TraversedPartialPath
from trie.iter import NodeIterator
from trie.utils.nibbles import bytes_to_nibbles

SEED = 20261203


def encode_proof(nodes):
    """py-trie's proof nodes as RLP encodings."""
    return [rlp.encode(node) for node in nodes]


def geth_form(encodings):
    """The nodes go-ethereum's Prove emits: the root, and each node referenced by hash (32 bytes or more)."""
    return [node for index, node in enumerate(encodings) if index == 0 or len(node) >= 32]


def dedup(encodings):
    seen, out = set(), []
    for node in encodings:
        digest = keccak(node)
        if digest not in seen:
            seen.add(digest)
            out.append(node)
    return out


def build(pairs):
    trie = HexaryTrie({})
    for key, value in pairs:
        trie[key] = value
    return trie


def nibble_text(nibbles):
    return "".join("%x" % n for n in nibbles)


def node_at(trie, nibbles):
    """(encoding or None, embedded) of the node starting exactly at `nibbles`, as py-trie's traverse finds it."""
    try:
        node = trie.traverse(tuple(nibbles))
    except TraversedPartialPath:
        return None, False
    if node.raw == b"" or node.raw == []:
        return None, False
    encoding = rlp.encode(node.raw)
    return encoding, len(nibbles) > 0 and len(encoding) < 32


def key_before(key, previous):
    """A key below `key` and above `previous` (None when there is none): `key` less one, as an integer."""
    number = int.from_bytes(key, "big")
    if number == 0:
        return None
    candidate = (number - 1).to_bytes(len(key), "big")
    if previous is not None and candidate <= previous:
        return None
    return candidate


def record(name, pairs, rng, proof_keys=8, absent_keys=4, node_keys=3, ranges=None):
    trie = build(pairs)
    final = {}
    for key, value in pairs:
        final[key] = value
    entries = sorted(final.items())
    keys = [key for key, _ in entries]
    case = {
        "name": name,
        "entries": [[key.hex(), value.hex()] for key, value in entries],
        "root": trie.root_hash.hex(),
        "proofs": [],
        "nodes": [],
        "ranges": [],
    }
    chosen = rng.sample(keys, min(proof_keys, len(keys)))
    absent = []
    while len(absent) < absent_keys:
        length = rng.choice([len(k) for k in keys])
        candidate = bytes(rng.randrange(256) for _ in range(length))
        if candidate not in final and candidate not in absent:
            absent.append(candidate)
    for key in chosen + absent:
        raw = encode_proof(trie.get_proof(key))
        entry = {"key": key.hex(), "value": final[key].hex() if key in final else None,
                 "proof": [node.hex() for node in geth_form(raw)]}
        if geth_form(raw) != raw:
            entry["pytrieProof"] = [node.hex() for node in raw]
        assert HexaryTrie.get_from_proof(trie.root_hash, key, trie.get_proof(key)) == final.get(key, b"")
        case["proofs"].append(entry)
    for key in rng.sample(keys, min(node_keys, len(keys))):
        nibbles = bytes_to_nibbles(key)
        for length in range(len(nibbles) + 1):
            encoding, embedded = node_at(trie, nibbles[:length])
            case["nodes"].append({"path": nibble_text(nibbles[:length]),
                                  "node": encoding.hex() if encoding is not None else None,
                                  "embedded": embedded})
    iterator = NodeIterator(trie)
    for start, count, absent_origin in ranges or []:
        if start >= len(keys):
            # An empty range: an origin after every key.
            origin = bytes([0xff]) * len(keys[-1])
            proof = geth_form(encode_proof(trie.get_proof(origin)))
            case["ranges"].append({"origin": origin.hex(), "start": len(keys), "count": 0,
                                   "proof": [node.hex() for node in dedup(proof)], "hasMore": False})
            continue
        origin = keys[start]
        if absent_origin == "zero":
            origin = bytes(len(keys[start]))
            assert start == 0
        elif absent_origin:
            previous = keys[start - 1] if start > 0 else None
            origin = key_before(keys[start], previous) or keys[start]
        last = keys[start + count - 1]
        proof = geth_form(encode_proof(trie.get_proof(origin))) + geth_form(encode_proof(trie.get_proof(last)))
        more = iterator.next(last) is not None
        assert more == (start + count < len(keys))
        case["ranges"].append({"origin": origin.hex(), "start": start, "count": count,
                               "proof": [node.hex() for node in dedup(proof)], "hasMore": more})
    return case


def random_bytes(rng, length):
    return bytes(rng.randrange(256) for _ in range(length))


def main():
    out_path = sys.argv[1] if len(sys.argv) > 1 else "Vectors/trie/pytrie.json"
    rng = random.Random(SEED)
    cases = []

    cases.append(record("one key, short value", [(b"k", b"v")], rng, absent_keys=2))
    cases.append(record("one hashed key, long value", [(keccak(b"one"), random_bytes(rng, 40))], rng, absent_keys=2))
    words = [(b"do", b"verb"), (b"dog", b"puppy"), (b"doge", b"coin"), (b"horse", b"stallion"),
             (b"dodge", b"car"), (b"d", b"letter"), (b"", b"empty key")]
    cases.append(record("words, keys prefixes of others, empty key", words, rng))
    prefixes = [(b"a" * n, bytes([n])) for n in range(1, 13)] + [(b"ab", b"x" * 40), (b"aab", b"y")]
    cases.append(record("a chain of prefixes", prefixes, rng, node_keys=4))
    shared = []
    for _ in range(40):
        shared.append((b"\x12\x34\x56" + random_bytes(rng, rng.randrange(1, 7)), random_bytes(rng, rng.randrange(1, 65))))
    cases.append(record("shared 3-byte prefix, mixed lengths", shared, rng))
    mixed = [(random_bytes(rng, rng.randrange(1, 6)), random_bytes(rng, rng.randrange(1, 40))) for _ in range(60)]
    mixed += [(mixed[3][0], b"replaced")]  # a later duplicate replaces the earlier value
    cases.append(record("short random keys, a duplicate", mixed, rng))

    def hashed(count, low, high, tag):
        return [(keccak(tag + index.to_bytes(4, "big")), random_bytes(rng, rng.randrange(low, high + 1)))
                for index in range(count)]

    small = hashed(200, 1, 8, b"small")
    ranges = [(0, 1, "zero"), (0, 20, "zero"), (0, 200, False), (5, 1, False), (5, 1, True), (17, 30, True),
              (60, 2, False), (100, 50, True), (180, 20, False), (199, 1, False), (199, 1, True), (150, 50, True),
              (200, 0, False)]
    cases.append(record("200 hashed keys, values under 32 bytes", small, rng, ranges=ranges))
    large = hashed(100, 32, 100, b"large")
    ranges = [(0, 10, "zero"), (10, 10, True), (50, 1, False), (50, 1, True), (90, 10, False), (99, 1, False),
              (100, 0, False)]
    cases.append(record("100 hashed keys, values of 32 bytes or more", large, rng, ranges=ranges))
    few = hashed(3, 1, 3, b"few")
    ranges = [(0, 3, "zero"), (0, 2, False), (1, 2, True), (1, 1, False), (2, 1, True), (3, 0, False)]
    cases.append(record("3 hashed keys, tiny values", few, rng, ranges=ranges))
    storage = [(keccak(slot.to_bytes(32, "big")), rlp.encode(rng.randrange(1, 1 << rng.choice([8, 64, 200]))))
               for slot in range(64)]
    ranges = [(0, 64, "zero"), (0, 16, "zero"), (16, 16, True), (48, 16, False), (32, 1, False)]
    cases.append(record("64 storage slots", storage, rng, ranges=ranges))

    document = {
        "_source": "Tools/gen-vectors/gen_trie_pytrie.py, seed %d" % SEED,
        "_generator": {"trie": version("trie"), "rlp": version("rlp"), "eth-hash": version("eth-hash"),
                       "pycryptodome": version("pycryptodome")},
        "_doc": "Hex without 0x. entries: [key, value] sorted by key (later duplicates already applied). proofs: "
                "proof = go-ethereum form (root and nodes of 32 bytes or more), pytrieProof = py-trie's get_proof "
                "encoded when it differs, value null for an absent key. nodes: the node starting at each nibble "
                "prefix of some keys (null: none starts there), embedded = shorter than 32 bytes and not the root. "
                "ranges: origin, entries[start..<start+count], proof = proof(origin) + proof(last), each node once, "
                "hasMore = a key follows the last.",
        "cases": cases,
    }
    os.makedirs(os.path.dirname(out_path) or ".", exist_ok=True)
    with open(out_path, "w") as handle:
        json.dump(document, handle, indent=1, sort_keys=True)
        handle.write("\n")
    print("wrote %s: %d tries, %d proofs, %d node paths, %d ranges" % (
        out_path, len(cases), sum(len(c["proofs"]) for c in cases), sum(len(c["nodes"]) for c in cases),
        sum(len(c["ranges"]) for c in cases)))


if __name__ == "__main__":
    main()
