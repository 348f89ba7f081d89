// SPDX-License-Identifier: Apache-2.0

extension RLPItem: CustomStringConvertible, CustomDebugStringConvertible {
    /// The item as a tree on one line: byte strings as `0x` hex (printable text also quoted), lists in brackets:
    /// `[0x636174 "cat", [0x01], 0x]`.
    public var description: String {
        switch self {
        case .bytes(let bytes):
            let hex = Hex.encode(bytes, prefixed: true)
            let printable = !bytes.isEmpty && bytes.allSatisfy { $0 >= 0x20 && $0 < 0x7f }
            return printable ? "\(hex) \"\(String(decoding: bytes, as: UTF8.self))\"" : hex
        case .list(let items):
            return "[" + items.map(\.description).joined(separator: ", ") + "]"
        }
    }

    public var debugDescription: String { "RLPItem(\(description))" }
}
