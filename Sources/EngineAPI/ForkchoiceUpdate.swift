// SPDX-License-Identifier: Apache-2.0

/// `ForkchoiceStateV1`: the head, safe and finalized blocks a consensus client names.
public struct ForkchoiceState: Hashable, Sendable {
    public var head: BlockHash
    public var safe: BlockHash
    public var finalized: BlockHash

    public init(head: BlockHash, safe: BlockHash, finalized: BlockHash) {
        self.head = head
        self.safe = safe
        self.finalized = finalized
    }
}

/// One `engine_forkchoiceUpdatedV1`…`V4` call, as the server hands it to its ``ForkchoiceHandler``.
public struct ForkchoiceUpdate: Hashable, Sendable {
    /// The method's version, 1 to 4.
    public var version: Int
    public var state: ForkchoiceState
    /// Whether the call asked for a payload to be built. This server builds none: when the handler answers
    /// VALID, the call fails with -38003 after the fork choice was applied, as the spec orders.
    public var hasPayloadAttributes: Bool

    public init(version: Int, state: ForkchoiceState, hasPayloadAttributes: Bool) {
        self.version = version
        self.state = state
        self.hasPayloadAttributes = hasPayloadAttributes
    }
}

/// What the node does with a forkchoice update: applies it if it knows the head, and says what it made of it.
/// Throwing an ``EngineRPCError`` (such as ``EngineRPCError/invalidForkchoiceState(_:)``) answers with that error;
/// any other error answers with -32000 "Server error".
public typealias ForkchoiceHandler = @Sendable (ForkchoiceUpdate) async throws -> PayloadStatus
