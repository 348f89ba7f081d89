#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""KZG commitments, blob proofs and versioned hashes of go-ethereum's eth-test blobs, by C-KZG-4844 (PyPI ckzg).

go-ethereum's eth suite (`devp2p rlpx eth-test`, BlobViolations and the TestBlobTx... tests) builds each blob as
131,072 zero bytes with byte 0 set to a discriminator. For every byte value b in 0...255 this script writes that
blob's KZG commitment, its EIP-4844 blob proof (the version-0 sidecar form that the pool wants before Osaka) and
its versioned hash (0x01 || sha256(commitment)[1:]). The blobs themselves are not stored: each is fully described
by b (`blob[0] = b`, every other byte zero). Every proof is verified with ckzg before it is written. For b >= 0x74
the first field element (b * 2^248, big-endian) is not below the BLS12-381 scalar modulus: such a blob is not
canonical, ckzg (like go-ethereum) refuses it, and its entry has null commitment, proof and versioned hash.

The trusted setup is the one bundled in the pinned ckzg source distribution (src/trusted_setup.txt), checked
against its SHA-256; pip fetches that sdist from PyPI when no path is given.

    python3 -m venv /tmp/blobgen && /tmp/blobgen/bin/pip install -r Tools/gen-vectors/requirements-blobs.txt
    /tmp/blobgen/bin/python Tools/gen-vectors/gen_blobs_ckzg.py [--sdist ckzg-2.1.8.tar.gz] [--out Vectors/ethtest/blobs.json]

The output is deterministic (no randomness, fixed key order).
"""
import argparse
import hashlib
import importlib.metadata
import json
import os
import subprocess
import sys
import tarfile
import tempfile

import ckzg

CKZG_VERSION = "2.1.8"
SETUP_MEMBER = f"ckzg-{CKZG_VERSION}/src/trusted_setup.txt"
SETUP_SHA256 = "d39b9f2d047cc9dca2de58f264b6a09448ccd34db967881a6713eacacf0f26b7"
BLOB_SIZE = 131_072
# The BLS12-381 scalar field modulus: every 32-byte field element of a blob must be below it.
BLS_MODULUS = 0x73EDA753299D7D483339D80809A1D80553BDA402FFFE5BFEFFFFFFFF00000001


def setup_text(sdist):
    """The trusted setup bundled in the ckzg sdist, downloaded with pip when `sdist` is None."""
    with tempfile.TemporaryDirectory() as tmp:
        if sdist is None:
            subprocess.run(
                [sys.executable, "-m", "pip", "download", "-q", "--no-deps", "--no-binary", ":all:",
                 f"ckzg=={CKZG_VERSION}", "-d", tmp], check=True)
            sdist = os.path.join(tmp, f"ckzg-{CKZG_VERSION}.tar.gz")
        with tarfile.open(sdist) as archive:
            data = archive.extractfile(SETUP_MEMBER).read()
    digest = hashlib.sha256(data).hexdigest()
    if digest != SETUP_SHA256:
        sys.exit(f"trusted setup sha256 {digest} != {SETUP_SHA256}")
    return data


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sdist", help="path of ckzg-2.1.8.tar.gz (default: pip download it)")
    parser.add_argument("--out", default="Vectors/ethtest/blobs.json")
    args = parser.parse_args()

    installed = importlib.metadata.version("ckzg")
    if installed != CKZG_VERSION:
        sys.exit(f"ckzg {installed} is installed, the pinned version is {CKZG_VERSION}")
    with tempfile.NamedTemporaryFile("wb", suffix=".txt") as setup_file:
        setup_file.write(setup_text(args.sdist))
        setup_file.flush()
        setup = ckzg.load_trusted_setup(setup_file.name, 0)

    entries = []
    for b in range(256):
        blob = bytes([b]) + bytes(BLOB_SIZE - 1)
        if b * 2**248 >= BLS_MODULUS:
            # The first 32-byte field element (big-endian) is b * 2^248: not below the BLS12-381 scalar field
            # modulus, so the blob is not canonical and has no commitment (ckzg and go-ethereum refuse it).
            try:
                ckzg.blob_to_kzg_commitment(blob, setup)
                sys.exit(f"blob {b}: ckzg accepted a non-canonical blob")
            except RuntimeError:
                pass
            entries.append({"byte": b, "commitment": None, "proof": None, "versionedHash": None})
            continue
        commitment = ckzg.blob_to_kzg_commitment(blob, setup)
        proof = ckzg.compute_blob_kzg_proof(blob, commitment, setup)
        if not ckzg.verify_blob_kzg_proof(blob, commitment, proof, setup):
            sys.exit(f"blob {b}: proof does not verify")
        versioned = b"\x01" + hashlib.sha256(commitment).digest()[1:]
        entries.append({
            "byte": b,
            "commitment": "0x" + commitment.hex(),
            "proof": "0x" + proof.hex(),
            "versionedHash": "0x" + versioned.hex(),
        })

    document = {
        "description": "Blob i is 131,072 zero bytes with byte 0 = i (not stored). KZG commitment, blob proof "
                       "(EIP-4844, sidecar version 0) and versioned hash 0x01 || sha256(commitment)[1:]; null for "
                       "i >= 0x74, whose first field element i * 2^248 is not below the BLS12-381 modulus.",
        "generator": "Tools/gen-vectors/gen_blobs_ckzg.py",
        "ckzg": installed,
        "trustedSetupSha256": SETUP_SHA256,
        "blobSize": BLOB_SIZE,
        "blobs": entries,
    }
    os.makedirs(os.path.dirname(args.out) or ".", exist_ok=True)
    with open(args.out, "w") as out:
        json.dump(document, out, indent=1)
        out.write("\n")
    print(f"wrote {len(entries)} blobs to {args.out}")


if __name__ == "__main__":
    main()
