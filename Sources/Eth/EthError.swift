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
