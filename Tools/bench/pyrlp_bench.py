#!/usr/bin/env python3
"""Python's rlp (pyrlp) on the inputs rlpx-bench wrote: the peer our typed decoding is measured against.

Prints the same tab-separated lines as rlpx-bench: name, seconds per operation, bytes per operation.
    python3 Tools/bench/pyrlp_bench.py DIR
"""
import sys
import timeit

import rlp
from rlp.sedes import Binary, CountableList, Serializable, big_endian_int, binary

hash32 = Binary.fixed_length(32)


class Header(Serializable):
    fields = [
        ("parent_hash", hash32), ("uncle_hash", hash32), ("coinbase", Binary.fixed_length(20)),
        ("state_root", hash32), ("transactions_root", hash32), ("receipts_root", hash32),
        ("bloom", Binary.fixed_length(256)), ("difficulty", big_endian_int), ("number", big_endian_int),
        ("gas_limit", big_endian_int), ("gas_used", big_endian_int), ("time", big_endian_int),
        ("extra", binary), ("mix_digest", hash32), ("nonce", Binary.fixed_length(8)),
    ]


def best(fn, minimum=0.2, repeats=5):
    number = 1
    while timeit.timeit(fn, number=number) < minimum:
        number *= 2
    return min(timeit.repeat(fn, number=number, repeat=repeats)) / number


def main(directory):
    sedes = {
        "hashes": CountableList(hash32),
        "headers": CountableList(Header),
        "blob": binary,
        "integers": CountableList(big_endian_int),
    }
    for name, kind in sedes.items():
        data = open(f"{directory}/{name}.rlp", "rb").read()
        value = rlp.decode(data, sedes=kind)
        print(f"py.{name}.decode\t{best(lambda: rlp.decode(data, sedes=kind)):.9f}\t{len(data)}")
        print(f"py.{name}.encode\t{best(lambda: rlp.encode(value, sedes=kind)):.9f}\t{len(data)}")
        print(f"py.{name}.generic\t{best(lambda: rlp.decode(data)):.9f}\t{len(data)}")
        sys.stdout.flush()


if __name__ == "__main__":
    main(sys.argv[1])
