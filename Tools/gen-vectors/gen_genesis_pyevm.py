#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Genesis blocks and trie roots from py-evm, for Tests/EthTests/GenesisCrossCheckTests.

py-evm (PyPI) builds each genesis state from a go-ethereum-style alloc and computes its state root and genesis
header hash; py-trie's HexaryTrie computes roots of index-keyed lists. The Swift side reads the same genesis.json
objects and must reach the same roots and hashes. The header fields follow go-ethereum's genesis rules (defaults for
gas limit, difficulty and base fee; fork fields by the genesis timestamp), which this script applies before handing
the fields to py-evm.

    python3 -m venv /tmp/ethgen && /tmp/ethgen/bin/pip install -r Tools/gen-vectors/requirements-eth.txt
    /tmp/ethgen/bin/python Tools/gen-vectors/gen_genesis_pyevm.py > Vectors/eth/genesis-pyevm.json
"""
import json
import random

import rlp
from eth._utils.db import apply_state_dict
from eth.rlp.headers import BlockHeader
from eth.vm.chain_context import ChainContext
from eth.db.atomic import AtomicDB
from eth.vm.forks import CancunVM, FrontierVM, LondonVM, PragueVM, ShanghaiVM
from eth.vm.forks.cancun.blocks import CancunBlockHeader
from eth.vm.forks.london.blocks import LondonBlockHeader
from eth.vm.forks.prague.blocks import PragueBlockHeader
from eth.vm.forks.shanghai.blocks import ShanghaiBlockHeader
from trie import HexaryTrie

HEADER_CLASSES = {FrontierVM: BlockHeader, LondonVM: LondonBlockHeader, ShanghaiVM: ShanghaiBlockHeader,
                  CancunVM: CancunBlockHeader, PragueVM: PragueBlockHeader}

rng = random.Random(20261202)


def rand_bytes(n):
    return bytes(rng.getrandbits(8) for _ in range(n))


def alloc(count, with_empty):
    accounts = {}
    for index in range(count):
        address = rand_bytes(20)
        shape = index % 5
        account = {"balance": rng.getrandbits(rng.choice([1, 64, 200]))}
        if shape >= 1:
            account["nonce"] = rng.getrandbits(rng.choice([1, 8, 64]))
        if shape >= 2:
            account["code"] = rand_bytes(rng.choice([1, 31, 33, 300]))
        if shape >= 3:
            storage = {}
            for _ in range(rng.choice([1, 2, 17, 40])):
                # Some values are zero (not stored) and some short (leading zeros trimmed in the trie).
                value = rng.choice([0, rng.getrandbits(8), rng.getrandbits(256)])
                storage[rng.getrandbits(rng.choice([8, 256]))] = value
            account["storage"] = storage
        accounts[address] = account
    if with_empty:
        accounts[bytes(19) + b"\x07"] = {"balance": 0}
    return accounts


def geth_json(accounts, config, fields):
    def account_json(account):
        out = {"balance": hex(account["balance"]) if rng.random() < 0.5 else str(account["balance"])}
        if account.get("nonce"):
            out["nonce"] = hex(account["nonce"])
        if account.get("code"):
            out["code"] = "0x" + account["code"].hex()
        if "storage" in account:
            out["storage"] = {"0x" + k.to_bytes(32, "big").hex(): "0x" + v.to_bytes(32, "big").hex()
                              for k, v in account["storage"].items()}
        return out

    body = {"config": config, **fields}
    body["alloc"] = {("0x" if i % 2 else "") + a.hex(): account_json(acc) for i, (a, acc) in enumerate(accounts.items())}
    return body


def py_evm_genesis(vm, accounts, params):
    # py-evm's own genesis path (Chain.from_genesis) up to the state root, then the fork's header class directly:
    # create_genesis_header would apply py-evm's header rules, and the header fields here are go-ethereum's.
    pre_genesis = BlockHeader(difficulty=0, block_number=-1, gas_limit=0)
    state = vm.build_state(AtomicDB(), pre_genesis, ChainContext(1337))
    apply_state_dict(state, {
        address: {
            "balance": acc["balance"], "nonce": acc.get("nonce", 0), "code": acc.get("code", b""),
            "storage": acc.get("storage", {}),
        }
        for address, acc in accounts.items()
    })
    state.persist()
    header_class = HEADER_CLASSES[vm]
    return header_class(block_number=0, state_root=state.state_root, **params)


def genesis_vectors():
    base_config = {"chainId": 1337, "homesteadBlock": 0, "eip150Block": 0, "eip155Block": 0, "eip158Block": 0,
                   "byzantiumBlock": 0, "constantinopleBlock": 0, "petersburgBlock": 0, "istanbulBlock": 0,
                   "berlinBlock": 0}
    plans = [
        # (id, vm, config additions, genesis fields, account count, empty account)
        ("frontier-defaults", FrontierVM, {}, {}, 0, False),
        ("frontier-alloc", FrontierVM, {}, {"nonce": "0x42", "extraData": "0x" + b"genesis".hex(),
                                            "gasLimit": "0x1388", "difficulty": "0x400000000"}, 12, True),
        ("london", LondonVM, {"londonBlock": 0}, {"gasLimit": "30000000", "difficulty": "0x1"}, 25, False),
        ("london-basefee", LondonVM, {"londonBlock": 0}, {"baseFeePerGas": "0x7", "difficulty": "0x0",
                                                          "mixHash": "0x" + rand_bytes(32).hex()}, 3, False),
        ("shanghai", ShanghaiVM, {"londonBlock": 0, "mergeNetsplitBlock": 0, "terminalTotalDifficulty": 0,
                                  "shanghaiTime": 0}, {"timestamp": "0x5f5e100", "difficulty": "0x0"}, 40, False),
        ("cancun", CancunVM, {"londonBlock": 0, "terminalTotalDifficulty": 0, "shanghaiTime": 0, "cancunTime": 100},
         {"timestamp": "100", "excessBlobGas": "0x20000", "difficulty": "0x0"}, 8, True),
        ("prague-large", PragueVM, {"londonBlock": 0, "terminalTotalDifficulty": 0, "shanghaiTime": 0,
                                    "cancunTime": 0, "pragueTime": 0},
         {"timestamp": "0x68000000", "gasLimit": "0x2255100", "difficulty": "0x0",
          "coinbase": "0x" + rand_bytes(20).hex(), "extraData": "0x" + rand_bytes(32).hex()}, 300, True),
    ]
    vectors = []
    for name, vm, additions, fields, count, with_empty in plans:
        accounts = alloc(count, with_empty)
        config = {**base_config, **additions}
        body = geth_json(accounts, config, fields)

        def number(key, default=None):
            value = fields.get(key)
            if value is None:
                return default
            return int(value, 16) if value.startswith("0x") else int(value)

        # go-ethereum's genesis header rules (core/genesis.go), expressed as py-evm header parameters.
        mix_hash = bytes.fromhex(fields["mixHash"][2:]) if "mixHash" in fields else bytes(32)
        difficulty = number("difficulty")
        if difficulty is None:
            difficulty = 131072 if mix_hash == bytes(32) else 0
        params = {
            "difficulty": difficulty, "gas_limit": number("gasLimit", 0) or 4712388,
            "timestamp": number("timestamp", 0), "extra_data": bytes.fromhex(fields.get("extraData", "0x")[2:]),
            "nonce": number("nonce", 0).to_bytes(8, "big"), "mix_hash": mix_hash,
            "coinbase": bytes.fromhex(fields["coinbase"][2:]) if "coinbase" in fields else bytes(20),
            "parent_hash": bytes(32),
        }
        if vm is not FrontierVM:
            params["base_fee_per_gas"] = number("baseFeePerGas", 1_000_000_000)
        if vm in (CancunVM, PragueVM):
            params.update(blob_gas_used=number("blobGasUsed", 0), excess_blob_gas=number("excessBlobGas", 0),
                          parent_beacon_block_root=bytes(32))
        header = py_evm_genesis(vm, accounts, params)
        encoded = rlp.encode(header)
        vectors.append({"id": f"pyevm-genesis-{name}", "genesis": body, "stateRoot": "0x" + header.state_root.hex(),
                        "fieldCount": len(rlp.decode(encoded)), "header": encoded.hex(),
                        "hash": "0x" + header.hash.hex()})
    return vectors


def ordered_root_vectors():
    vectors = []
    for count in [0, 1, 2, 3, 15, 16, 17, 127, 128, 129, 300]:
        values = [rand_bytes(rng.choice([1, 2, 5, 20, 31, 32, 33, 100])) for _ in range(count)]
        t = HexaryTrie({})
        for index, value in enumerate(values):
            t[rlp.encode(index)] = value
        vectors.append({"id": f"py-trie-ordered-{count}", "values": [v.hex() for v in values],
                        "root": "0x" + t.root_hash.hex()})
    return vectors


def main():
    print(json.dumps({
        "_doc": "Generated by Tools/gen-vectors/gen_genesis_pyevm.py: genesis.json objects with the state root and "
                "genesis header py-evm builds from them (go-ethereum's header defaults applied), and roots of "
                "index-keyed tries from py-trie's HexaryTrie.",
        "genesis": genesis_vectors(),
        "orderedRoots": ordered_root_vectors(),
    }, indent=1))


if __name__ == "__main__":
    main()
