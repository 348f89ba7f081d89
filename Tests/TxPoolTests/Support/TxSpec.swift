// SPDX-License-Identifier: Apache-2.0
import Eth
import RLP
import RLPxCrypto
import TxPool

/// A transaction to build and sign in a test; defaults are the suite's DynamicFeeTx (tip 1, fee cap 7 = head base
/// fee, gas 30,000, to 0xaa…, chain ID of the eth-test chain).
struct TxSpec {
    var type = Transaction.Kind.dynamicFee
    var chainID: UInt64 = PoolConfig.ethTest.chainID
    var nonce: UInt64 = 0
    var tip = UInt256(1)
    var feeCap = UInt256(7)
    var gasPrice = UInt256(7)
    var gas: UInt64 = 30_000
    var to: Address? = Fixture.recipient
    var value = UInt256.zero
    var data: [UInt8] = []
    var accessList: [AccessListEntry] = []
    var blobFeeCap = UInt256(1)
    /// One blob per byte: 131,072 zero bytes with byte 0 set to it, as the suite's `makeSidecar`.
    var blobs: [UInt8] = []
    /// Versioned hashes to put in the transaction instead of the blobs' own.
    var versionedHashes: [Hash32]?
    var withSidecar = true
    /// Commitments of the sidecar to replace (index → commitment), for mismatched sidecars.
    var commitmentOverrides: [Int: FixedBytes<48>] = [:]
    /// Number of EIP-7702 authorizations (signed by the same key, delegating to `to`).
    var authorizations = 0
    /// Legacy only: EIP-155 replay protection.
    var replayProtected = true
    /// Write r = 0, a signature no key recovers from.
    var zeroR = false

    func signed(by key: Secp256k1.PrivateKey, fixture: Fixture) throws -> Transaction {
        let blobData = blobs.map { fixture.blobs[$0] }
        let hashes = versionedHashes ?? blobData.compactMap { $0?.versionedHash }
        let auths = try (0..<authorizations).map { index in try authorization(index, key: key) }
        let fields: (inout RLPWriter) -> Void = { list in
            if type != .legacy { list.write(integer: chainID) }
            list.write(integer: nonce)
            switch type {
            case .legacy, .accessList: list.write(gasPrice)
            default:
                list.write(tip)
                list.write(feeCap)
            }
            list.write(integer: gas)
            list.write(bytes: to?.bytes ?? [])
            list.write(value)
            list.write(bytes: data)
            if type != .legacy { list.write(accessList) }
            if type == .blob {
                list.write(blobFeeCap)
                list.write(hashes)
            }
            if type == .setCode { list.writeList { for auth in auths { $0.write(encoded: auth) } } }
        }
        let unsigned = RLPWriter.encode { writer in
            writer.writeList { list in
                fields(&list)
                if type == .legacy && replayProtected {
                    list.write(integer: chainID)
                    list.write(integer: 0 as UInt8)
                    list.write(integer: 0 as UInt8)
                }
            }
        }
        let digest = type == .legacy ? Hash32.keccak(unsigned[...]) : Hash32.keccak([type.rawValue][...], unsigned[...])
        let signature = try key.signature(forDigest: digest.bytes)
        let recovery = UInt64(signature[64])
        let v = type != .legacy ? recovery : (replayProtected ? chainID * 2 + 35 + recovery : 27 + recovery)
        let r = zeroR ? UInt256.zero : UInt256(bigEndianBytes: signature[0..<32]) ?? .zero
        let s = UInt256(bigEndianBytes: signature[32..<64]) ?? .zero
        let signedFields: (inout RLPWriter) -> Void = { list in
            list.writeList { inner in
                fields(&inner)
                inner.write(integer: v)
                inner.write(r)
                inner.write(s)
            }
        }
        let body: [UInt8]
        if type == .blob && withSidecar {
            var commitments = blobData.compactMap { $0?.commitment }
            for (index, commitment) in commitmentOverrides where index < commitments.count { commitments[index] = commitment }
            body = RLPWriter.encode { writer in
                writer.writeList { outer in
                    signedFields(&outer)
                    outer.writeList { list in for byte in blobs { list.write(bytes: [byte] + [UInt8](repeating: 0, count: 131_071)) } }
                    outer.write(commitments)
                    outer.write(blobData.compactMap { $0?.proof })
                }
            }
        } else {
            body = RLPWriter.encode { signedFields(&$0) }
        }
        return try Transaction(binary: type == .legacy ? body : [type.rawValue] + body)
    }

    /// An EIP-7702 authorization `[chainID, to, index, yParity, r, s]` signed by `key`.
    private func authorization(_ index: Int, key: Secp256k1.PrivateKey) throws -> [UInt8] {
        let unsigned = RLPWriter.encode { writer in
            writer.writeList { list in
                list.write(integer: chainID)
                list.write(bytes: to?.bytes ?? [])
                list.write(integer: UInt64(index))
            }
        }
        let signature = try key.signature(forDigest: Hash32.keccak([0x05][...], unsigned[...]).bytes)
        return RLPWriter.encode { writer in
            writer.writeList { list in
                list.write(integer: chainID)
                list.write(bytes: to?.bytes ?? [])
                list.write(integer: UInt64(index))
                list.write(integer: signature[64])
                list.write(UInt256(bigEndianBytes: signature[0..<32]) ?? .zero)
                list.write(UInt256(bigEndianBytes: signature[32..<64]) ?? .zero)
            }
        }
    }
}
