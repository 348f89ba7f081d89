#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Cross-check vectors for the Discovery module's node records (EIP-778) from an independent implementation:
PyPI eth-enr (with eth-keys' own secp256k1 and pyrlp).

Valid records: eth-enr signs records with every key the module types (id, secp256k1, ip, ip6, tcp, udp, tcp6, udp6,
eth with a fork ID, snap) plus keys it keeps as raw RLP, for fixed private keys; each entry has the text form, the
RLP, the node ID and public key eth-enr derives, and the decoded fields. eth-keys signs with RFC 6979 nonces and
low s, as libsecp256k1 does, so our signer must produce the same bytes.

Malformed records: built by hand with pyrlp (eth-enr sorts keys when it encodes), each refused by eth-enr (checked
here) and listed with the error code our decoder must give.

Run from the repository root with the pinned versions (Tools/gen-vectors/requirements-enr.txt):

    python3 -m venv /tmp/enrvenv && /tmp/enrvenv/bin/pip install -r Tools/gen-vectors/requirements-enr.txt
    /tmp/enrvenv/bin/python Tools/gen-vectors/gen_enr_ethenr.py [Vectors/discovery/enr.json]
"""

import base64
import ipaddress
import json
import os
import sys
from importlib.metadata import version

import rlp
from eth_enr import ENR, UnsignedENR
from eth_hash.auto import keccak
from eth_keys import keys


def key(n):
    """A fixed private key: 31 zero bytes then n."""
    return bytes(31) + bytes([n])


def text_form(encoded):
    return "enr:" + base64.urlsafe_b64encode(encoded).decode().rstrip("=")


def int_bytes(value):
    return value.to_bytes((value.bit_length() + 7) // 8, "big") if value else b""


def fork_entry(fork_hash, fork_next):
    """The eth entry's value as go-ethereum writes it: [[fork-hash, fork-next]]."""
    return [[bytes.fromhex(fork_hash), int_bytes(fork_next)]]


VALID = [
    dict(name="minimal", n=1, seq=0, pairs={}),
    dict(name="ipv4-udp-tcp", n=2, seq=1, pairs={b"ip": "10.0.0.1", b"udp": 30303, b"tcp": 30303}),
    dict(name="ipv6-udp6-tcp6", n=3, seq=7, pairs={b"ip6": "2001:db8::7348", b"udp6": 30304, b"tcp6": 30305}),
    dict(name="dual-stack", n=4, seq=2**32 + 5,
         pairs={b"ip": "127.0.0.1", b"tcp": 1, b"udp": 65535, b"ip6": "::1", b"tcp6": 65535, b"udp6": 0}),
    dict(name="eth-fork-id", n=5, seq=3, pairs={b"ip": "192.168.1.2", b"tcp": 30303, b"udp": 30303,
                                                 b"eth": fork_entry("fc64ec04", 1150000)}),
    dict(name="eth-and-snap", n=6, seq=12, pairs={b"ip": "1.2.3.4", b"tcp": 30303, b"udp": 30301,
                                                   b"eth": fork_entry("9f3d2254", 0), b"snap": []}),
    dict(name="unknown-keys", n=7, seq=99, pairs={b"attnets": bytes.fromhex("ffffffffffffffff"),
                                                   b"les": [b"\x02"], b"z": b"", b"eth2": bytes(16)}),
    dict(name="every-key", n=8, seq=2**64 - 1, pairs={
        b"ip": "203.0.113.9", b"ip6": "fe80::1:2:3:4", b"tcp": 30303, b"udp": 30304, b"tcp6": 30305,
        b"udp6": 30306, b"eth": fork_entry("00000000", 2**64 - 1), b"snap": [], b"x": [[b"a"], b"b"]}),
]


def enr_value(k, v):
    """eth-enr's Python value for a key: typed keys take ints and packed addresses, others raw RLP objects."""
    if k in (b"ip", b"ip6"):
        return ipaddress.ip_address(v).packed
    return v


def describe(k, v):
    """The decoded field as the vector file states it."""
    if k in (b"ip", b"ip6"):
        return str(ipaddress.ip_address(v))
    if k in (b"tcp", b"udp", b"tcp6", b"udp6"):
        return v
    if k == b"eth":
        return {"hash": v[0][0].hex(), "next": int.from_bytes(v[0][1], "big")}
    return None


def valid_vectors():
    out = []
    for case in VALID:
        private = key(case["n"])
        pairs = {k: enr_value(k, v) for k, v in case["pairs"].items()}
        pairs[b"id"] = b"v4"
        pairs[b"secp256k1"] = keys.PrivateKey(private).public_key.to_compressed_bytes()
        record = UnsignedENR(case["seq"], pairs).to_signed_enr(private)
        encoded = rlp.encode(record)
        again = ENR.from_repr(repr(record))
        again.validate_signature()
        assert rlp.encode(again) == encoded and repr(record) == text_form(encoded)
        raw = rlp.decode(encoded)
        fields = {k.decode(): describe(k, v) for k, v in case["pairs"].items() if describe(k, v) is not None}
        out.append({
            "name": case["name"],
            "privateKey": private.hex(),
            "seq": str(case["seq"]),
            "text": repr(record),
            "rlp": encoded.hex(),
            "signature": record.signature.hex(),
            "publicKey": record.public_key.hex(),
            "nodeId": record.node_id.hex(),
            "keys": [k.decode() for k in raw[2::2]],
            "rawValues": {raw[i].decode(): rlp.encode(raw[i + 1]).hex() for i in range(2, len(raw), 2)},
            "fields": fields,
        })
    return out


def signed(private, seq, items, tamper=None):
    """A record with `items` ([(key, value)], in the given order) signed over its content as written."""
    content = [int_bytes(seq)] + [x for pair in items for x in pair]
    digest = keccak(rlp.encode(content))
    signature = keys.PrivateKey(private).sign_msg_hash_non_recoverable(digest).to_bytes()
    if tamper:
        signature = tamper(signature)
    return rlp.encode([signature] + content)


def base_items(private, extra=()):
    items = [(b"id", b"v4"), (b"ip", bytes([127, 0, 0, 1])),
             (b"secp256k1", keys.PrivateKey(private).public_key.to_compressed_bytes()), (b"udp", b"\x76\x5f")]
    return sorted(items + list(extra))


def refused_by_eth_enr(text):
    try:
        ENR.from_repr(text).validate_signature()
    except Exception as error:  # eth-enr raises several types; any refusal counts
        return type(error).__name__
    return None


def malformed_vectors():
    p = key(9)
    good = base_items(p)
    cases = [
        ("unsorted-keys", signed(p, 1, [good[1], good[0]] + good[2:]), "unsortedKeys"),
        ("duplicate-key", signed(p, 1, good[:2] + [good[1]] + good[2:]), "duplicateKey"),
        ("bad-signature", signed(p, 1, good, tamper=lambda s: s[:10] + bytes([s[10] ^ 1]) + s[11:]), "invalidSignature"),
        ("signature-by-another-key", rlp.encode([rlp.decode(signed(key(10), 1, good))[0]] + rlp.decode(signed(p, 1, good))[1:]),
         "invalidSignature"),
        ("over-300-bytes", signed(p, 1, base_items(p, [(b"pad", bytes(220))])), "recordTooLarge"),
        ("missing-value", rlp.encode(rlp.decode(signed(p, 1, good)) + [b"zz"]), "missingValue"),
        ("missing-id", signed(p, 1, [x for x in good if x[0] != b"id"]), "missingIdentityScheme"),
        ("unknown-id", signed(p, 1, [(b"id", b"v5")] + good[1:]), "unknownIdentityScheme"),
        ("public-key-off-curve", signed(p, 1, [x if x[0] != b"secp256k1" else (x[0], b"\x02" + bytes(32)) for x in good]),
         "invalidPublicKey"),
        ("seq-leading-zero", rlp.encode([rlp.decode(signed(p, 1, good))[0], b"\x00\x01"] + rlp.decode(signed(p, 1, good))[2:]),
         "malformedRLP"),
        ("not-a-list", rlp.encode(b"enr"), "malformedRLP"),
    ]
    out = []
    for name, encoded, code in cases:
        text = text_form(encoded)
        refusal = refused_by_eth_enr(text)
        assert refusal, f"eth-enr accepted {name}"
        out.append({"name": name, "text": text, "rlp": encoded.hex(), "error": code, "ethEnrError": refusal})
    sample = text_form(signed(p, 1, good))
    assert refused_by_eth_enr(sample) is None
    for name, text, code in [
        ("bad-base64-character", sample[:20] + "*" + sample[21:], "invalidText"),
        ("base64-padding", sample + "=", "invalidText"),
        ("missing-prefix", sample[4:], "invalidText"),
        ("trailing-bytes", text_form(signed(p, 1, good) + b"\x00"), "malformedRLP"),
    ]:
        out.append({"name": name, "text": text, "error": code, "ethEnrError": refused_by_eth_enr(text)})
    return out


def main():
    path = sys.argv[1] if len(sys.argv) > 1 else "Vectors/discovery/enr.json"
    os.makedirs(os.path.dirname(path), exist_ok=True)
    document = {
        "generator": f"eth-enr {version('eth-enr')}, eth-keys {version('eth-keys')}, rlp {version('rlp')}",
        "valid": valid_vectors(),
        "malformed": malformed_vectors(),
    }
    with open(path, "w") as handle:
        json.dump(document, handle, indent=1, sort_keys=True)
        handle.write("\n")
    print(f"wrote {path}: {len(document['valid'])} valid, {len(document['malformed'])} malformed")


if __name__ == "__main__":
    main()
