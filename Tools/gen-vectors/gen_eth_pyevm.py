#!/usr/bin/env python3
"""Writes Vectors/eth/pyevm.json: eth transactions, headers and messages made by independent implementations.

Transactions of every type are signed by eth-account with random keys and decoded again by py-evm's Prague
transaction builder; the generator stops unless both agree on the hash and py-evm recovers the signing key's
address. Headers of every fork are py-evm header objects with random fields. Messages wrap those items in eth
message layouts with pyrlp. The Swift tests (Tests/EthTests/PyEVMCrossCheckTests.swift) decode every one.
    python3 -m venv /tmp/ethgen && /tmp/ethgen/bin/pip install -r Tools/gen-vectors/requirements-eth.txt
    /tmp/ethgen/bin/python Tools/gen-vectors/gen_eth_pyevm.py          # from the repository root
"""
import json
import random

import rlp
from eth_account import Account
from eth_utils import keccak, to_checksum_address
from eth.rlp.headers import BlockHeader as FrontierHeader
from eth.vm.forks.cancun.blocks import CancunBlockHeader
from eth.vm.forks.london.blocks import LondonBlockHeader
from eth.vm.forks.prague.blocks import PragueBlockHeader
from eth.vm.forks.prague.transactions import PragueTransactionBuilder
from eth.vm.forks.shanghai.blocks import ShanghaiBlockHeader

SEED = 20261202
rng = random.Random(SEED)


def rand_bytes(n):
    return bytes(rng.getrandbits(8) for _ in range(n))


def rand_int(bits):
    # Values near the edges of each width as well as anywhere.
    choice = rng.random()
    if choice < 0.15:
        return 0
    if choice < 0.3:
        return (1 << bits) - 1
    return rng.getrandbits(rng.randrange(1, bits + 1))


def address():
    return to_checksum_address(rand_bytes(20))


def access_list():
    return [
        {"address": address(), "storageKeys": ["0x" + rand_bytes(32).hex() for _ in range(rng.randrange(0, 3))]}
        for _ in range(rng.randrange(0, 3))
    ]


def base_fields(kind):
    fields = {
        "nonce": rand_int(64),
        "gas": rand_int(64),
        "to": address(),
        "value": rand_int(256),
        "data": rand_bytes(rng.choice([0, 1, 4, 68, 300])),
    }
    if kind >= 1:
        fields["type"] = kind
        fields["chainId"] = rng.choice([1, 11155111, 560048, rand_int(64) or 1])
        fields["accessList"] = access_list()
    if kind == 0 or kind == 1:
        fields["gasPrice"] = rand_int(256)
    if kind >= 2:
        fields["maxPriorityFeePerGas"] = rand_int(256)
        fields["maxFeePerGas"] = rand_int(256)
    return fields


def cross_checked(raw, signer, canonical=None):
    """Decodes `raw` (canonical form, or `canonical` for network-form input) with py-evm and checks it."""
    decoded = PragueTransactionBuilder.decode(canonical or raw)
    if decoded.sender != bytes.fromhex(signer.address[2:]):
        raise SystemExit("py-evm recovered another sender")
    return decoded


def transaction_vector(kind, key, label, **extra):
    signer = Account.from_key(key)
    fields = base_fields(kind)
    if kind == 0 and extra.get("eip155"):
        fields["chainId"] = rng.choice([1, 5, 1337, rand_int(32) or 1])
    if kind == 0 and not extra.get("eip155"):
        fields.pop("chainId", None)
    if kind == 3:
        fields["maxFeePerBlobGas"] = rand_int(256)
        fields["blobVersionedHashes"] = [b"\x01" + rand_bytes(31) for _ in range(rng.randrange(1, 4))]
        if fields["to"] is None:
            fields["to"] = address()
    authorities = []
    if kind == 4:
        fields["authorizationList"] = []
        for _ in range(rng.randrange(1, 3)):
            authority = Account.from_key(rand_bytes(31) + b"\x01")
            authorities.append(authority.address[2:].lower())
            fields["authorizationList"].append(authority.sign_authorization(
                {"chainId": rng.choice([0, fields["chainId"]]), "address": address(), "nonce": rand_int(64)}))
    if kind in (0, 1, 2) and rng.random() < 0.2:
        fields.pop("to")  # contract creation
    signed = signer.sign_transaction(fields, **({"blobs": extra["blobs"]} if "blobs" in extra else {}))
    raw = bytes(signed.raw_transaction)
    decoded = cross_checked(raw, signer)
    if decoded.hash != bytes(signed.hash):
        raise SystemExit(f"{label}: eth-account and py-evm disagree on the hash")
    vector = {
        "id": label,
        "type": kind,
        "hex": raw.hex(),
        "hash": decoded.hash.hex(),
        "sender": signer.address[2:].lower(),
        "signingHash": keccak(decoded.get_message_for_signing()).hex(),
        "chainId": getattr(decoded, "chain_id", None),
        "nonce": decoded.nonce,
        "gas": decoded.gas,
        "value": str(decoded.value),
        "to": decoded.to.hex(),
        "dataLength": len(decoded.data),
    }
    if kind == 4:
        vector["authorities"] = authorities  # the addresses of the keys that signed each authorization
    return vector, raw


def network_blob_transaction(key):
    signer = Account.from_key(key)
    fields = base_fields(3)
    fields["maxFeePerBlobGas"] = rand_int(64)
    # Field elements below the BLS modulus: the first byte of each 32 is zero.
    blob = b"".join(b"\x00" + rand_bytes(31) for _ in range(4096))
    signed = signer.sign_transaction(fields, blobs=[blob])
    raw = bytes(signed.raw_transaction)
    # Network form: type || rlp([tx_payload_body, blobs, commitments, proofs]); the hash is of the canonical form.
    body = rlp.decode(raw[1:])
    canonical = b"\x03" + rlp.encode(body[0])
    decoded = cross_checked(raw, signer, canonical=canonical)
    # eth-account's `hash` of a network-form transaction is keccak of all of it; the transaction hash is the
    # canonical form's (EIP-4844), which py-evm computes.
    if decoded.hash != keccak(canonical):
        raise SystemExit("network-form blob transaction: hashes disagree")
    return {
        "id": "eth-account-blob-network-form",
        "type": 3,
        "hex": raw.hex(),
        "canonicalHex": canonical.hex(),
        "hash": decoded.hash.hex(),
        "sender": signer.address[2:].lower(),
        "blobs": len(body[1]),
    }, raw, canonical


def header_vectors():
    classes = [
        ("frontier", FrontierHeader, 15),
        ("london", LondonBlockHeader, 16),
        ("shanghai", ShanghaiBlockHeader, 17),
        ("cancun", CancunBlockHeader, 20),
        ("prague", PragueBlockHeader, 21),
    ]
    vectors, headers = [], []
    for index in range(20):
        fork, cls, count = classes[index % len(classes)]
        kwargs = dict(
            parent_hash=rand_bytes(32), uncles_hash=rand_bytes(32), coinbase=rand_bytes(20), state_root=rand_bytes(32),
            transaction_root=rand_bytes(32), receipt_root=rand_bytes(32), bloom=rand_int(2048),
            difficulty=rand_int(128), block_number=rand_int(64), gas_limit=rand_int(64), gas_used=rand_int(64),
            timestamp=rand_int(64), extra_data=rand_bytes(rng.choice([0, 1, 32])), mix_hash=rand_bytes(32),
            nonce=rand_bytes(8),
        )
        if count >= 16:
            kwargs["base_fee_per_gas"] = rand_int(256)
        if count >= 17:
            kwargs["withdrawals_root"] = rand_bytes(32)
        if count >= 20:
            kwargs.update(blob_gas_used=rand_int(64), excess_blob_gas=rand_int(64), parent_beacon_block_root=rand_bytes(32))
        if count >= 21:
            kwargs["requests_hash"] = rand_bytes(32)
        header = cls(**kwargs)
        encoded = rlp.encode(header)
        if len(rlp.decode(encoded)) != count:
            raise SystemExit(f"{fork} header has {len(rlp.decode(encoded))} fields")
        vectors.append({
            "id": f"pyevm-header-{index}-{fork}", "fork": fork, "fieldCount": count, "hex": encoded.hex(),
            "hash": header.hash.hex(), "number": header.block_number, "timestamp": header.timestamp,
        })
        headers.append(encoded)
    return vectors, headers


def main():
    keys = [rand_bytes(31) + bytes([i + 1]) for i in range(12)]
    transactions, raws = [], {k: [] for k in range(5)}
    plan = [(0, {"eip155": False}), (0, {"eip155": True}), (1, {}), (2, {}), (3, {}), (4, {})]
    for round_ in range(8):
        for kind, extra in plan:
            label = f"eth-account-{kind}-{'eip155-' if extra.get('eip155') else ''}{round_}"
            vector, raw = transaction_vector(kind, keys[rng.randrange(len(keys))], label, **extra)
            transactions.append(vector)
            raws[kind].append(raw)
    network, network_raw, canonical_blob = network_blob_transaction(keys[0])
    headers, header_bytes = header_vectors()

    def wire(raw):
        # In messages a legacy transaction is its list; a typed one is a byte string holding type || payload.
        return rlp.decode(raw) if raw[0] >= 0xC0 else raw

    mixed = [wire(raw) for kind in range(5) for raw in raws[kind][:3]]
    mixed_hashes = [keccak(raw) for kind in range(5) for raw in raws[kind][:3]]
    messages = []

    def message(name, code, versions, payload, summary, request_id=None):
        messages.append({
            "id": f"pyevm-{name}-{len(messages)}", "name": name, "code": code, "versions": versions,
            "requestId": request_id, "payload": rlp.encode(payload).hex(), "summary": summary,
        })

    message("Transactions", 2, [68, 69, 70, 71, 72], mixed, {"hashes": [h.hex() for h in mixed_hashes]})
    message("PooledTransactions", 10, [68, 69, 70, 71, 72], [77, mixed + [network_raw]],
            {"hashes": [h.hex() for h in mixed_hashes] + [network["hash"]]}, request_id=77)
    message("NewPooledTransactionHashes", 8, [68, 69, 70, 71],
            [bytes([raw[0] if raw[0] < 0xC0 else 0 for kind in range(5) for raw in raws[kind][:3]]),
             [len(raw) for kind in range(5) for raw in raws[kind][:3]], mixed_hashes],
            {"hashes": [h.hex() for h in mixed_hashes]})
    message("BlockHeaders", 4, [68, 69, 70, 71, 72], [9, [rlp.decode(h) for h in header_bytes]],
            {"hashes": [h["hash"] for h in headers]}, request_id=9)
    message("GetBlockHeaders", 3, [68, 69, 70, 71, 72], [2**63 - 1, [keccak(b"origin"), 192, 0, 1]],
            {"originHash": keccak(b"origin").hex(), "amount": 192, "skip": 0, "reverse": 1}, request_id=2**63 - 1)
    withdrawals = [[rand_int(64), rand_int(64), rand_bytes(20), rand_int(64)] for _ in range(3)]
    bodies = [
        [[wire(raw) for raw in raws[0][:2]], [rlp.decode(header_bytes[0])]],
        [[wire(raw) for raw in raws[2][:4]], [], withdrawals],
    ]
    message("BlockBodies", 6, [68, 69, 70, 71, 72], [3, bodies],
            {"transactions": [2, 4], "uncles": [1, 0], "withdrawals": [None, 3]}, request_id=3)
    logs = [[rand_bytes(20), [rand_bytes(32) for _ in range(rng.randrange(0, 4))], rand_bytes(rng.choice([0, 32, 64]))] for _ in range(3)]
    receipts69 = [[[0, 1, 21000, []], [2, 1, 63000, logs], [3, 0, 90000, logs[:1]]]]
    message("Receipts", 16, [69], [4, receipts69], {"cumulativeGas": [[21000, 63000, 90000]], "logs": [[0, 3, 1]]}, request_id=4)
    bloom = rand_bytes(256)
    receipts68 = [[[1, 21000, bloom, []], b"\x02" + rlp.encode([1, 63000, bloom, logs])]]
    message("Receipts", 16, [68], [5, receipts68], {"cumulativeGas": [[21000, 63000]], "logs": [[0, 3]]}, request_id=5)

    out = {
        "_doc": "Made by Tools/gen-vectors/gen_eth_pyevm.py from PyPI eth-account 0.14.0 (signing) and py-evm 0.12.1b1 "
                "(decoding, hashes, senders, headers), pyrlp 5.0.0 for message layouts; seed %d. Hex without 0x. "
                "Every transaction was signed by eth-account and decoded again by py-evm, which recovered the signer." % SEED,
        "transactions": transactions,
        "network_form": [network],
        "headers": headers,
        "messages": messages,
    }
    with open("Vectors/eth/pyevm.json", "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")
    print(f"{len(transactions)} transactions, 1 network-form, {len(headers)} headers, {len(messages)} messages")


if __name__ == "__main__":
    main()
