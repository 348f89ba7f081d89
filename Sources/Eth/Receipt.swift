// SPDX-License-Identifier: Apache-2.0
import RLP

/// A transaction receipt, in either of the forms eth uses.
///
/// - eth/68 sends the consensus form: a legacy receipt is the list `[status, cumulativeGas, bloom, logs]`, a typed
///   one the byte string `type ‖ rlp([status, cumulativeGas, bloom, logs])`.
/// - eth/69 and later drop the bloom (receivers recompute it) and always send `[type, status, cumulativeGas, logs]`
///   (EIP-7642).
public struct Receipt: Sendable, Hashable {
    /// Which of the two forms.
    public enum Form: Sendable, Hashable {
        /// eth/68: consensus encoding with the bloom.
        case consensus
        /// eth/69 and later: `[type, status, cumulativeGas, logs]`.
        case network
    }

    /// The transaction's type.
    public var type: UInt8
    /// Empty for a failed transaction, `01` for a successful one (Byzantium and later), or a 32-byte state root
    /// (before Byzantium).
    public var statusOrPostState: [UInt8]
    public var cumulativeGasUsed: UInt64
    /// The logs bloom; nil in the eth/69 form.
    public var bloom: Bloom?
    public var logs: [Log]

    public init(type: UInt8, statusOrPostState: [UInt8], cumulativeGasUsed: UInt64, bloom: Bloom?, logs: [Log]) {
        self.type = type
        self.statusOrPostState = statusOrPostState
        self.cumulativeGasUsed = cumulativeGasUsed
        self.bloom = bloom
        self.logs = logs
    }

    /// True or false for a Byzantium status, nil for a pre-Byzantium state root.
    public var succeeded: Bool? {
        switch statusOrPostState.count {
        case 0: false
        case 1: true
        default: nil
        }
    }

    /// Reads one receipt in `form`.
    public init(rlp reader: inout RLPReader, form: Form) throws(RLPError) {
        switch form {
        case .network:
            self = try reader.readList { list throws(RLPError) in
                Receipt(
                    type: try list.read(field: "type"), statusOrPostState: try Self.readStatus(&list),
                    cumulativeGasUsed: try list.read(field: "cumulativeGasUsed"), bloom: nil,
                    logs: try list.read(field: "logs"))
            }
        case .consensus:
            let element = try reader.readElement()
            if element.kind == .list {
                var list = try element.listReader()
                self = try Self.consensusFields(type: 0, &list)
                return
            }
            let payload = element.payload
            let base = element.offset &+ element.headerLength
            guard let type = payload.first, type < 0x80, type != 0 else {
                throw RLPError(.unknownTransactionType, "a typed receipt starts with a type byte from 1 to 0x7f", at: base)
            }
            do throws(RLPError) {
                var inner = RLPReader(payload.dropFirst())
                self = try inner.readList { list throws(RLPError) in try Self.consensusFields(type: type, &list) }
                try inner.finish()
            } catch {
                throw error.offsetBy(base &+ 1)
            }
        }
    }

    private static func consensusFields(type: UInt8, _ list: inout RLPReader) throws(RLPError) -> Receipt {
        let receipt = Receipt(
            type: type, statusOrPostState: try readStatus(&list), cumulativeGasUsed: try list.read(field: "cumulativeGasUsed"),
            bloom: try list.read(field: "bloom"), logs: try list.read(field: "logs"))
        try list.finish()
        return receipt
    }

    /// go-ethereum accepts an empty status, `01`, or a 32-byte post-state root, and nothing else.
    private static func readStatus(_ list: inout RLPReader) throws(RLPError) -> [UInt8] {
        let offset = list.offset
        let bytes = try list.read([UInt8].self, field: "status")
        guard bytes.isEmpty || bytes == [1] || bytes.count == 32 else {
            throw RLPError(
                .invalidValue, "status must be empty, 01 or a 32-byte state root", at: offset, path: ["status"])
        }
        return bytes
    }

    /// Writes this receipt in `form` (a consensus-form receipt needs its bloom; a missing one is written as zeros).
    public func encode(to writer: inout RLPWriter, form: Form) {
        switch form {
        case .network:
            writer.writeList { list in
                list.write(integer: type)
                list.write(bytes: statusOrPostState)
                list.write(integer: cumulativeGasUsed)
                list.write(logs)
            }
        case .consensus:
            let fields: (inout RLPWriter) -> Void = { list in
                list.write(bytes: statusOrPostState)
                list.write(integer: cumulativeGasUsed)
                list.write(bloom ?? Bloom())
                list.write(logs)
            }
            if type == 0 {
                writer.writeList(fields)
            } else {
                writer.write(bytes: [type] + RLPWriter.encode { $0.writeList(fields) })
            }
        }
    }
}
