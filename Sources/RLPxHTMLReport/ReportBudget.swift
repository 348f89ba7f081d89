// SPDX-License-Identifier: Apache-2.0

/// How much of a run an HTML report draws. The summary keeps every count whatever the capture; the ladders keep
/// every finding (up to ``findings``) with its neighbourhood (while ``steps`` allows), and the first and last
/// messages of the first ``ladders`` connections: a capture of millions of messages still gives a report under 20 MB.
public struct ReportBudget: Sendable, Hashable {
    /// Steps (handshake packets, messages, faults, closes) drawn around findings in all ladders; a finding's own
    /// step and a connection's first and last ``edge`` steps are drawn besides.
    public var steps: Int
    /// Steps kept at each end of a connection.
    public var edge: Int
    /// Steps kept on either side of a step that raised a finding.
    public var neighbourhood: Int
    /// Findings drawn on their steps; the rest are counted in the summary only.
    public var findings: Int
    /// Connections whose first and last steps are drawn (any connection with a finding gets a ladder too). A report
    /// draws at most `2 × ladders × edge + steps + findings` steps.
    public var ladders: Int
    /// Raw bytes shown per message.
    public var payloadBytes: Int
    /// Characters of a message's decoded tree shown.
    public var treeCharacters: Int

    public init(
        steps: Int = 3000, edge: Int = 8, neighbourhood: Int = 2, findings: Int = 2000, ladders: Int = 150,
        payloadBytes: Int = 128, treeCharacters: Int = 1000
    ) {
        self.steps = steps
        self.edge = edge
        self.neighbourhood = neighbourhood
        self.findings = findings
        self.ladders = ladders
        self.payloadBytes = payloadBytes
        self.treeCharacters = treeCharacters
    }
}
