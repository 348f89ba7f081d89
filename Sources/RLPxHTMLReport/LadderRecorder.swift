// SPDX-License-Identifier: Apache-2.0
import RLPxConformance
import RLPxEvents

/// Reads a run's events, each with the findings it raised, and keeps what an HTML report draws: every count, and
/// of the steps only those ``ReportBudget`` allows (each finding with its neighbourhood, the first and last steps
/// of a connection). Memory stays bounded whatever the run: per open connection a few recent events, per drawn
/// step its rendered text.
public struct LadderRecorder {
    public let budget: ReportBudget
    /// The findings drawn on their steps, in the order they were raised.
    public private(set) var findings: [Finding] = []
    /// Every finding, by rule and severity.
    public private(set) var findingCounts: [String: [Severity: Int]] = [:]
    /// Every finding, by connection.
    public private(set) var findingsPerConnection: [Int: Int] = [:]
    /// Findings raised beyond ``ReportBudget/findings`` (counted, not drawn).
    public private(set) var undrawnFindings = 0
    /// Messages, by protocol label (`p2p`, `eth/69`).
    public private(set) var messagesPerProtocol: [String: Int] = [:]
    /// Messages, by protocol label and name.
    public private(set) var messagesPerName: [MessageKey: Int] = [:]
    public private(set) var messages = 0
    /// Messages over time, from the capture's start.
    public private(set) var timeline: RateTimeline?
    /// Steps each connection had, drawn or not.
    public private(set) var stepsPerConnection: [Int: Int] = [:]
    /// Finished ladders (connections that closed), and open ones at ``finish()``.
    private var done: [Ladder] = []
    private var tracks: [Int: Track] = [:]
    /// Steps drawn so far around findings (the findings' own and the connections' first and last are apart).
    private var drawn = 0
    private var laddersStarted = 0

    /// A protocol label and message name.
    public struct MessageKey: Hashable, Sendable, Comparable {
        public var protocolLabel: String
        public var name: String

        public static func < (lhs: MessageKey, rhs: MessageKey) -> Bool {
            (lhs.protocolLabel, lhs.name) < (rhs.protocolLabel, rhs.name)
        }
    }

    /// One connection while it is open.
    private struct Track {
        var initiator = ""
        var recipient = ""
        var kept: [LadderStep] = []
        /// Recent steps not kept (oldest first), for a finding's neighbourhood and the connection's last steps.
        var recent: [(index: Int, event: ConnectionEvent)] = []
        var steps = 0
        /// Following steps to keep (a finding's neighbourhood).
        var follow = 0
        /// Whether the connection's first and last steps are drawn.
        let edges: Bool
        var first: Double?
        var last: Double?
    }

    public init(budget: ReportBudget = ReportBudget()) {
        self.budget = budget
    }

    /// Sets the time the timeline counts from (the capture's first packet); else the first message's time.
    public mutating func start(at time: Double) {
        if timeline == nil { timeline = RateTimeline(origin: time) }
    }

    /// The time steps are shown relative to.
    public var origin: Double { timeline?.origin ?? 0 }

    /// Reads one event of a connection (each connection's in order) with the findings the rules raised on it.
    public mutating func record(_ event: ConnectionEvent, findings raised: [Finding]) {
        var track: Track
        if let open = tracks.removeValue(forKey: event.connection) { track = open } else { track = newTrack() }
        defer {
            if case .closed = event.kind { close(event.connection, track) } else { tracks[event.connection] = track }
        }
        for finding in raised {
            findingCounts[finding.ruleID, default: [:]][finding.severity, default: 0] += 1
            findingsPerConnection[finding.connection, default: 0] += 1
        }
        switch event.kind {
        case .opened(let initiator, let recipient):
            track.initiator = initiator
            track.recipient = recipient
            if raised.isEmpty { return }
        case .identities, .frame:
            if raised.isEmpty { return }
        case .message(_, let message):
            messages += 1
            messagesPerProtocol[message.protocolLabel, default: 0] += 1
            messagesPerName[MessageKey(protocolLabel: message.protocolLabel, name: message.name), default: 0] += 1
            if timeline == nil { timeline = RateTimeline(origin: event.time) }
            timeline?.add(event.time)
        case .handshake, .fault, .closed: break
        }
        let index = track.steps
        track.steps += 1
        stepsPerConnection[event.connection] = track.steps
        if track.first == nil { track.first = event.time }
        track.last = event.time
        var drawnFindings: [Int] = []
        for finding in raised {
            if findings.count < budget.findings {
                drawnFindings.append(findings.count)
                findings.append(finding)
            } else {
                undrawnFindings += 1
            }
        }
        let room = drawn < budget.steps
        if !drawnFindings.isEmpty {
            // The finding's step, and (while the budget lasts) the steps either side of it.
            for (index, event) in track.recent.suffix(budget.neighbourhood) where drawn < budget.steps {
                drawn += 1
                keep(step(event, index: index), in: &track)
            }
            var raisedStep = step(event, index: index)
            raisedStep.findings = drawnFindings
            keep(raisedStep, in: &track)
            track.follow = budget.neighbourhood
        } else if track.edges && index < budget.edge {
            keep(step(event, index: index), in: &track)
        } else if room && track.follow > 0 {
            track.follow -= 1
            drawn += 1
            keep(step(event, index: index), in: &track)
        } else {
            track.recent.append((index, event))
            let capacity = max(budget.neighbourhood, track.edges ? budget.edge : 0)
            if track.recent.count > capacity { track.recent.removeFirst(track.recent.count - capacity) }
        }
    }

    private mutating func newTrack() -> Track {
        laddersStarted += 1
        return Track(edges: laddersStarted <= budget.ladders)
    }

    /// Draws `step`; the recent steps not kept are older than it, so of no more use.
    private func keep(_ step: LadderStep, in track: inout Track) {
        track.kept.append(step)
        track.recent.removeAll(keepingCapacity: true)
    }

    /// Ends a connection: its last steps join the drawing (while the budget lasts).
    private mutating func close(_ connection: Int, _ track: Track) {
        var track = track
        if track.edges {
            let lastKept = track.kept.last?.index ?? -1
            for (index, event) in track.recent.suffix(budget.edge) where index > lastKept {
                track.kept.append(step(event, index: index))
            }
        }
        track.recent = []
        guard !track.kept.isEmpty else { return }
        done.append(
            Ladder(
                connection: connection, initiator: track.initiator, recipient: track.recipient, steps: track.kept, total: track.steps,
                firstTime: track.first, lastTime: track.last))
    }

    /// Every drawn connection, by number; connections still open are ended here.
    public mutating func finish() -> [Ladder] {
        for (connection, track) in tracks.sorted(by: { $0.key < $1.key }) { close(connection, track) }
        tracks = [:]
        let ladders = done.sorted { $0.connection < $1.connection }
        done = []
        return ladders
    }

    /// One event as a drawn step.
    func step(_ event: ConnectionEvent, index: Int) -> LadderStep {
        var step = LadderStep(
            kind: .closed, index: index, time: event.time, side: nil, protocolLabel: "", name: "", size: 0, summary: "", tree: "",
            hex: "", hexClipped: false)
        switch event.kind {
        case .opened(let initiator, let recipient):
            (step.kind, step.name, step.summary) = (.opened, "opened", "\(initiator) → \(recipient)")
        case .identities:
            (step.kind, step.name) = (.identities, "identities")
        case .handshake(let side, let format, let size):
            (step.kind, step.side, step.size) = (.handshake, side, size)
            step.name = (side == .initiator ? "auth " : "ack ") + format.rawValue
        case .frame(let side, let size, _, let offset):
            (step.kind, step.side, step.size, step.name, step.summary) = (.frame, side, size, "frame", "at offset \(offset)")
        case .fault(let side, let fault):
            (step.kind, step.side, step.name, step.summary) = (.fault, side, "fault", MessageDetail.describe(fault))
        case .message(let side, let message):
            (step.kind, step.side, step.protocolLabel, step.name) = (.message, side, message.protocolLabel, message.name)
            step.size = message.payload.count
            step.summary = message.summary
            step.tree = MessageDetail.clip(MessageDetail.tree(message), to: budget.treeCharacters)
            step.hex = MessageDetail.hex(message.payload.prefix(budget.payloadBytes))
            step.hexClipped = message.payload.count > budget.payloadBytes
        case .closed:
            step.name = "closed"
        }
        return step
    }
}
