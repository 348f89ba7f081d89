// SPDX-License-Identifier: Apache-2.0

/// The one list of rules. `--run` selects from it before a run starts.
public enum RuleRegistry {
    public static let all: [any ConnectionRule.Type] = [
        HandshakeSizeRule.self,
        HelloFirstRule.self, HelloSizeRule.self, HelloIdentityRule.self, SnappyRule.self,
        FrameMACRule.self, FrameSizeRule.self, FrameHeaderDataRule.self, SnappyLengthRule.self,
        CanonicalRLPRule.self, CodeRangeRule.self,
        PingPongRule.self, DisconnectReasonRule.self, AfterDisconnectRule.self,
        ResponseIDRule.self, ResponseCountRule.self, ResponseLimitRule.self, UnansweredRequestsRule.self,
        StatusFirstRule.self, StatusMatchRule.self, ForkIDRule.self, AnnouncementLengthsRule.self,
        AnnouncementMatchRule.self, BlobBroadcastRule.self, BlobNetworkFormRule.self, BlockRangeRule.self,
        NoBlockAnnouncementsRule.self,
        AccountRangeRule.self, StorageRangesRule.self,
        Discv4PacketRule.self, Discv4SizeRule.self, Discv4ExpirationRule.self, Discv4PongRule.self, Discv4BondRule.self,
        Discv4NeighborsRule.self, Discv4ENRResponseRule.self,
        Discv5HeaderRule.self, Discv5MessageRule.self, Discv5ResponseRule.self, Discv5NodesRule.self, Discv5KeysRule.self,
    ]

    /// The rules whose identifier matches the regular expression `pattern` anywhere (all of them for nil), as
    /// go-ethereum's devp2p suites select tests with `--run`.
    /// - Throws: the regular expression's own error when `pattern` is not one.
    public static func select(_ pattern: String?) throws -> [any ConnectionRule.Type] {
        guard let pattern else { return all }
        let regex = try Regex(pattern)
        return all.filter { $0.descriptor.id.contains(regex) || $0.descriptor.legacyID.contains(regex) }
    }

    /// The rule with this identifier.
    public static func descriptor(_ id: String) -> RuleDescriptor? {
        all.first { $0.descriptor.id == id || $0.descriptor.legacyID == id }?.descriptor
    }
}
