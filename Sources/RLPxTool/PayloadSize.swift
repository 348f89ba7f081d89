// SPDX-License-Identifier: Apache-2.0
import ArgumentParser
import RLP
import RLPxCrypto

/// `--size` of send and load: 1 to `maximum` bytes, and a size some RLP item has (usage error otherwise).
func validatePayloadSize(_ size: Int, maximum: Int) throws {
    guard (1...maximum).contains(size) else {
        throw ValidationError("--size takes 1 to \(maximum) bytes (an RLP item is at least one byte; a message at most 16 MiB)")
    }
    guard RLPWriter.byteStringLength(encodedSize: size) != nil else {
        throw ValidationError("--size \(size): no RLP item is \(size) bytes long (its header grows by a byte there); use \(size - 1) or \(size + 1)")
    }
}

/// A message payload of `size` bytes (checked by ``validatePayloadSize(_:maximum:)``): one RLP byte string of
/// random bytes.
func randomPayload(_ size: Int) -> [UInt8] {
    var random = SystemRandom()
    return (RLPItem.filler(encodedSize: size, using: &random) ?? .bytes([])).rlpEncoded()
}
