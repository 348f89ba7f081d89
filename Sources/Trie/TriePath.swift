// SPDX-License-Identifier: Apache-2.0

/// Nibble paths and their hex-prefix ("compact") encoding, the yellow paper's appendix C: how leaves and extensions
/// store their paths, and how snap's GetTrieNodes names nodes.
///
/// A path is a sequence of nibbles (values 0 to 15), high nibble of each key byte first. Hex-prefix encoding puts a
/// flag nibble in front (bit 1: the path ends in a leaf; bit 0: the count is odd), pads an even path with a zero
/// nibble, and packs two nibbles a byte.
///
/// ```swift
/// TriePath.compact([1, 2, 3], leaf: false)      // [0x11, 0x23]
/// try TriePath.decodeCompact([0x20, 0x0f])      // (nibbles: [0, 15], leaf: true)
/// ```
public enum TriePath {
    /// The nibbles of `bytes`, high nibble first.
    public static func nibbles(_ bytes: some Collection<UInt8>) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count &* 2)
        for byte in bytes {
            output.append(byte >> 4)
            output.append(byte & 0x0f)
        }
        return output
    }

    /// The bytes an even-length nibble path spells; nil for an odd length or a value above 15.
    public static func bytes(fromNibbles nibbles: some Collection<UInt8>) -> [UInt8]? {
        guard nibbles.count % 2 == 0, nibbles.allSatisfy({ $0 < 16 }) else { return nil }
        var output: [UInt8] = []
        output.reserveCapacity(nibbles.count / 2)
        var high: UInt8? = nil
        for nibble in nibbles {
            if let first = high {
                output.append(first << 4 | nibble)
                high = nil
            } else {
                high = nibble
            }
        }
        return output
    }

    /// The hex-prefix encoding of `nibbles` (each value's low four bits) with the leaf flag set or not.
    public static func compact(_ nibbles: some Collection<UInt8>, leaf: Bool = false) -> [UInt8] {
        let path = Array(nibbles)
        return compact(count: path.count, leaf: leaf) { path[$0] & 0x0f }
    }

    /// Decodes a hex-prefix encoded path.
    /// - Throws: ``TrieError/Code/invalidCompactPath`` for empty input, a flag above 3, or a nonzero pad nibble.
    public static func decodeCompact(_ bytes: some Collection<UInt8>) throws(TrieError) -> (nibbles: [UInt8], leaf: Bool) {
        guard let first = bytes.first else {
            throw TrieError(.invalidCompactPath, "an empty byte string has no flag nibble")
        }
        let flag = first >> 4
        guard flag < 4 else {
            throw TrieError(.invalidCompactPath, "flag nibble \(flag) is above 3")
        }
        let odd = flag & 1 == 1
        guard odd || first & 0x0f == 0 else {
            throw TrieError(.invalidCompactPath, "the pad nibble of an even path is \(first & 0x0f), not 0")
        }
        var nibbles: [UInt8] = []
        nibbles.reserveCapacity(bytes.count &* 2)
        if odd { nibbles.append(first & 0x0f) }
        for byte in bytes.dropFirst() {
            nibbles.append(byte >> 4)
            nibbles.append(byte & 0x0f)
        }
        return (nibbles, flag & 2 == 2)
    }

    /// The hex-prefix encoding of nibbles `start..<end` of `key`'s nibbles, without making the nibbles.
    static func compact(key: [UInt8], from start: Int, to end: Int, leaf: Bool) -> [UInt8] {
        compact(count: end &- start, leaf: leaf) { nibble(of: key, at: start &+ $0) }
    }

    /// Nibble `index` of `key`.
    @inline(__always)
    static func nibble(of key: [UInt8], at index: Int) -> UInt8 {
        let byte = key[index >> 1]
        return index & 1 == 0 ? byte >> 4 : byte & 0x0f
    }

    /// The hex-prefix encoding of `count` nibbles that `nibble` yields by position.
    private static func compact(count: Int, leaf: Bool, nibble: (Int) -> UInt8) -> [UInt8] {
        let odd = count % 2 == 1
        let flag: UInt8 = (leaf ? 2 : 0) | (odd ? 1 : 0)
        var output: [UInt8] = []
        output.reserveCapacity(count / 2 &+ 1)
        var index = 0
        if odd {
            output.append(flag << 4 | nibble(0))
            index = 1
        } else {
            output.append(flag << 4)
        }
        while index < count {
            output.append(nibble(index) << 4 | nibble(index &+ 1))
            index &+= 2
        }
        return output
    }
}
