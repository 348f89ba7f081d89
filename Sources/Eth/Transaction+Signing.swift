// SPDX-License-Identifier: Apache-2.0
import Keccak
import RLP
import RLPxCrypto

extension Transaction {
    /// The hash the sender signed: Keccak-256 of the unsigned fields (legacy: as a list, with EIP-155's
    /// `chainID, 0, 0` appended when replay-protected; typed: `type ‖ rlp(fields)`), built from the kept bytes.
    public var signingHash: Hash32 {
        let list = RLPWriter.encode { writer in
            writer.writeList { list in
                list.write(encoded: unsignedFields)
                if type == .legacy, let chainID {
                    list.write(chainID)
                    list.write(integer: 0 as UInt8)
                    list.write(integer: 0 as UInt8)
                }
            }
        }
        return type == .legacy ? .keccak(list[...]) : .keccak([type.rawValue][...], list[...])
    }

    /// The y parity the signature carries (0 or 1), or nil when `v` is not a valid value for the type.
    public var recoveryID: UInt8? {
        if type != .legacy { return v.uint64.flatMap { $0 <= 1 ? UInt8($0) : nil } }
        if let small = v.uint64, small == 27 || small == 28 { return UInt8(small - 27) }
        guard v >= UInt256(35) else { return nil }
        return v.isOdd ? 0 : 1  // v = chainID × 2 + 35 + parity: odd v has parity 0.
    }

    /// The sender's address, recovered from the signature over ``signingHash`` with libsecp256k1.
    /// - Throws: ``RLPError/Code/invalidSignature`` for a `v` the type does not allow, `r` or `s` out of range,
    ///   `s` in the upper half of the curve order (EIP-2: invalid since Homestead), or no key recovered.
    public func sender() throws(RLPError) -> Address {
        guard let recoveryID else {
            throw RLPError(.invalidSignature, "v = \(v) is not a valid signature value for a \(type) transaction", path: ["v"])
        }
        return try SignatureRecovery.address(r: r, s: s, recoveryID: recoveryID, digest: signingHash)
    }
}

extension Authorization {
    /// The hash the authority signed: Keccak-256 of `0x05 ‖ rlp([chainID, address, nonce])` (EIP-7702).
    public var signingHash: Hash32 {
        let list = RLPWriter.encode { $0.writeList { $0.write(encoded: unsignedFields) } }
        return .keccak([0x05][...], list[...])
    }

    /// The account that signed this authorization.
    /// - Throws: ``RLPError/Code/invalidSignature`` as ``Transaction/sender()`` does.
    public func authority() throws(RLPError) -> Address {
        guard yParity <= 1 else { throw RLPError(.invalidSignature, "y parity \(yParity) is neither 0 nor 1", path: ["yParity"]) }
        return try SignatureRecovery.address(r: r, s: s, recoveryID: yParity, digest: signingHash)
    }
}

/// ECDSA public-key recovery on secp256k1 as Ethereum uses it.
enum SignatureRecovery {
    /// The curve order n.
    static let order =
        UInt256(
            bigEndianBytes: [
                0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfe,
                0xba, 0xae, 0xdc, 0xe6, 0xaf, 0x48, 0xa0, 0x3b, 0xbf, 0xd2, 0x5e, 0x8c, 0xd0, 0x36, 0x41, 0x41,
            ]) ?? .max
    /// n / 2: the largest `s` allowed since Homestead.
    static let halfOrder = order.halved

    static func address(r: UInt256, s: UInt256, recoveryID: UInt8, digest: Hash32) throws(RLPError) -> Address {
        guard r != .zero, s != .zero, r < order, s < order else {
            throw RLPError(.invalidSignature, "r and s must lie in [1, n − 1]", path: ["r"])
        }
        guard s <= halfOrder else {
            throw RLPError(.invalidSignature, "s is in the upper half of the curve order (EIP-2)", path: ["s"])
        }
        var signature = [UInt8](repeating: 0, count: 65)
        let rBytes = r.bigEndianBytes
        let sBytes = s.bigEndianBytes
        signature.replaceSubrange((32 - rBytes.count)..<32, with: rBytes)
        signature.replaceSubrange((64 - sBytes.count)..<64, with: sBytes)
        signature[64] = recoveryID
        let key: Secp256k1.PublicKey
        do throws(CryptoError) {
            key = try Secp256k1.PublicKey(recoveringFrom: signature, digest: digest.bytes)
        } catch {
            throw RLPError(.invalidSignature, "no public key recovers from this signature")
        }
        let hash = Keccak256.hash(key.nodeID)
        return Address(hash[12...]) ?? Address()
    }
}
