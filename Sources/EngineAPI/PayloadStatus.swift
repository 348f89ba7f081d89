// SPDX-License-Identifier: Apache-2.0

/// The `payloadStatus` a forkchoice update answers with (`PayloadStatusV1`, restricted to the statuses
/// `engine_forkchoiceUpdated` may return).
public struct PayloadStatus: Hashable, Sendable {
    /// What the node made of the head block.
    public enum Status: String, Hashable, Sendable {
        /// The head is known and valid: the fork choice was applied.
        case valid = "VALID"
        /// The head is invalid.
        case invalid = "INVALID"
        /// The head is unknown, or cannot be validated yet.
        case syncing = "SYNCING"
    }

    public var status: Status
    /// The most recent valid block on the head's branch: the head itself when ``Status-swift.enum/valid``, null
    /// when syncing.
    public var latestValidHash: BlockHash?
    /// Why the head is invalid, when it is and the node can say.
    public var validationError: String?

    public init(status: Status, latestValidHash: BlockHash?, validationError: String? = nil) {
        self.status = status
        self.latestValidHash = latestValidHash
        self.validationError = validationError
    }

    /// `{status: VALID, latestValidHash: head, validationError: null}`.
    public static func valid(head: BlockHash) -> PayloadStatus { PayloadStatus(status: .valid, latestValidHash: head) }
    /// `{status: SYNCING, latestValidHash: null, validationError: null}`.
    public static let syncing = PayloadStatus(status: .syncing, latestValidHash: nil)
    /// `{status: INVALID, latestValidHash: …, validationError: …}`.
    public static func invalid(latestValidHash: BlockHash?, validationError: String?) -> PayloadStatus {
        PayloadStatus(status: .invalid, latestValidHash: latestValidHash, validationError: validationError)
    }
}
