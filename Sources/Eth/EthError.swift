// SPDX-License-Identifier: Apache-2.0
import RLP

// eth and snap decoding reports through `RLPError`, the one error type of every RLP-shaped value in this
// package: its code names the rule, its offset the byte, its path the field (`blocks[1].receipts[0].logs`).
// These are the codes the eth and snap layers add to RLP's own.
extension RLPError.Code {
    /// A message code that the protocol version does not define (or go-ethereum treats as invalid on it).
    public static let unknownMessage = RLPError.Code("unknownMessage")
    /// A message, or a list inside one, is larger than the limit that protects a decoder.
    public static let limitExceeded = RLPError.Code("limitExceeded")
    /// A transaction type byte that no fork defines.
    public static let unknownTransactionType = RLPError.Code("unknownTransactionType")
    /// A signature that is out of range or recovers no key.
    public static let invalidSignature = RLPError.Code("invalidSignature")
    /// Values that must agree do not (blob counts, announcement list lengths, trailing header fields).
    public static let inconsistent = RLPError.Code("inconsistent")
}

/// Chain data that does not form a chain (wire messages that do not decode are `RLPError`s).
public struct EthError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The stable name of what was wrong.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        public let name: String
        init(_ name: String) { self.name = name }
        public var description: String { name }

        /// A chain file's first block is not the genesis block, or not its child.
        public static let genesisMismatch = Code("genesisMismatch")
        /// A chain file starts at a block other than 0 or 1.
        public static let unexpectedFirstBlock = Code("unexpectedFirstBlock")
        /// A block does not follow the one before it (number and parent hash).
        public static let brokenChain = Code("brokenChain")
    }

    public let code: Code
    /// What was wrong, for people.
    public let reason: String
    /// The index in the file of the block that breaks the chain, when a block does.
    public let index: Int?

    init(_ code: Code, _ reason: String, index: Int? = nil) {
        self.code = code
        self.reason = reason
        self.index = index
    }

    public var description: String { reason }
    public static func == (lhs: EthError, rhs: EthError) -> Bool { lhs.code == rhs.code }
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }
}
