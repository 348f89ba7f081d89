// SPDX-License-Identifier: Apache-2.0
import Keccak
import RLP
import RLPxTestSupport
import Trie

/// Keccak-256 as an array.
func keccak(_ bytes: [UInt8]) -> [UInt8] { Keccak256.hash(bytes) }

/// Bytes from hex (`0x` optional); fails the test on bad hex.
func hex(_ text: String) throws -> [UInt8] { try Hex.decode(text) }

/// A trie's random entries from a seeded generator: `count` keys of `keyLength` bytes (a random length from 1 to 6
/// when nil), values of 1 to `maxValue` bytes.
func randomEntries(
    count: Int, keyLength: Int? = 32, maxValue: Int = 80, using random: inout SeededRandom
) -> [(key: [UInt8], value: [UInt8])] {
    (0..<count).map { _ in
        let length = keyLength ?? Int.random(in: 1...6, using: &random)
        return (key: random.bytes(length), value: random.bytes(Int.random(in: 1...maxValue, using: &random)))
    }
}

/// The proven range of `trie` from `origin`, as a snap server answers: at most `limit` entries and their proof.
func rangeAnswer(_ trie: MerkleTrie, from origin: [UInt8], limit: Int)
    -> (keys: [[UInt8]], values: [[UInt8]], proof: [[UInt8]])
{
    let answer = trie.entries(from: origin, limit: limit)
    return (answer.map(\.key), answer.map(\.value), trie.rangeProof(origin: origin, last: answer.last?.key))
}

/// `key` less one as a big-endian number of the same length, or nil for all zeros.
func predecessor(_ key: [UInt8]) -> [UInt8]? {
    var bytes = key
    var index = bytes.count - 1
    while index >= 0 {
        if bytes[index] > 0 {
            bytes[index] -= 1
            return bytes
        }
        bytes[index] = 0xff
        index -= 1
    }
    return nil
}

/// ``RangeProof/verify(root:firstKey:keys:values:proof:)`` in short.
func verifyRange(
    _ root: FixedBytes<32>, from firstKey: [UInt8], _ keys: [[UInt8]], _ values: [[UInt8]], _ proof: [[UInt8]]
) throws(TrieError) -> Bool {
    try RangeProof.verify(root: root, firstKey: firstKey, keys: keys, values: values, proof: proof)
}
