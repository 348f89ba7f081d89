// SPDX-License-Identifier: Apache-2.0

/// The one list of rules. `--run` selects from it before a run starts.
public enum RuleRegistry {
    public static let all: [any ConnectionRule.Type] = [
        HandshakeSizeRule.self,
        HelloFirstRule.self, HelloSizeRule.self, HelloIdentityRule.self, SnappyRule.self,
        FrameMACRule.self, FrameSizeRule.self, FrameHeaderDataRule.self, SnappyLengthRule.self,
        CanonicalRLPRule.self, CodeRangeRule.self,
        PingPongRule.self, DisconnectReasonRule.self, AfterDisconnectRule.self,
    ]

    /// The rules whose identifier contains `pattern` (all of them for nil).
    public static func select(_ pattern: String?) -> [any ConnectionRule.Type] {
        guard let pattern else { return all }
        return all.filter { $0.descriptor.id.contains(pattern) }
    }

    /// The rule with this identifier.
    public static func descriptor(_ id: String) -> RuleDescriptor? {
        all.first { $0.descriptor.id == id }?.descriptor
    }
}
