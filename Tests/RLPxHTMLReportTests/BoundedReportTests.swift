// SPDX-License-Identifier: Apache-2.0
import DevP2P
import Foundation
import RLPxConformance
import RLPxEvents
import RLPxHTMLReport
import RLPxTestSupport
import Testing

/// The report stays bounded whatever the run, keeps every count and every finding, and says what it left out.
@Suite struct BoundedReportTests {
    /// A run of `messages` messages over `connections` connections, with a finding every `findingEvery` messages on
    /// connection 1, handed to `record` event by event. Payloads are 2 KiB of a protocol the toolkit does not
    /// decode, so every drawn step carries the most bytes and the largest tree a report shows.
    static func run(
        messages: Int, connections: Int, findingEvery: Int, _ record: (ConnectionEvent, [Finding]) -> Void
    ) {
        let payload = [0xb9, 0x07, 0xfd] + [UInt8](repeating: 0xab, count: 2045)
        let request = DecodedMessage(protocolName: "les", version: 4, code: 2, wireCode: 0x12, name: "code 2", payload: payload, value: .undecoded)
        let answer = DecodedMessage(protocolName: "les", version: 4, code: 3, wireCode: 0x13, name: "code 3", payload: payload, value: .undecoded)
        for connection in 1...connections {
            let opened = ConnectionEvent.Kind.opened(initiator: "10.0.\(connection / 250).\(connection % 250):30303", recipient: "10.1.0.1:30303")
            record(ConnectionEvent(connection: connection, time: 1000, kind: opened), [])
        }
        for index in 0..<messages {
            let connection = index % connections + 1
            let side: Side = index % 2 == 0 ? .initiator : .recipient
            let time = 1000 + Double(index) / 1000
            let findings =
                connection == 1 && index % findingEvery == 0
                ? [Finding(ruleID: "base/ping-pong", severity: .breach, connection: 1, side: side, time: time, detail: "finding \(index)")]
                : []
            record(ConnectionEvent(connection: connection, time: time, kind: .message(side, side == .initiator ? request : answer)), findings)
        }
        for connection in 1...connections {
            record(ConnectionEvent(connection: connection, time: 1000 + Double(messages) / 1000, kind: .closed), [])
        }
    }

    static func recorded(messages: Int, connections: Int, findingEvery: Int) -> (LadderRecorder, [Ladder]) {
        var recorder = LadderRecorder()
        recorder.start(at: 1000)
        run(messages: messages, connections: connections, findingEvery: findingEvery) { recorder.record($0, findings: $1) }
        let ladders = recorder.finish()
        return (recorder, ladders)
    }

    /// The bound: two million messages make a report of at most 20 MB that keeps every count.
    @Test func twoMillionMessagesMakeAtMostTwentyMegabytes() {
        var report = ConformanceHTMLReport(rules: [], title: "two million", rerun: "rlpx-tool conformance big.pcap")
        report.start(at: 1000)
        Self.run(messages: 2_000_000, connections: 1000, findingEvery: 1000) { report.record($0, findings: $1) }
        let html = report.render(connections: [])
        #expect(html.utf8.count <= 20_000_000, "\(html.utf8.count) bytes")
        // Kept, so the browser tests and a person can open it (and see how long that takes).
        let artifacts = Vectors.projectRoot.appendingPathComponent(".build/test-artifacts")
        try? FileManager.default.createDirectory(at: artifacts, withIntermediateDirectories: true)
        try? Data(html.utf8).write(to: artifacts.appendingPathComponent("two-million-messages.html"))
        #expect(html.contains("<b>2\u{202F}000\u{202F}000</b> messages"), "every message counted")
        #expect(html.components(separatedBy: "<li class=\"finding ").count - 1 == 2000, "every finding drawn")
        #expect(html.contains("--connection N --format html"), "says how to see what it left out")
    }

    @Test func theRecorderKeepsEveryCountAndStaysInBudget() {
        let budget = ReportBudget()
        let (recorder, ladders) = Self.recorded(messages: 400_000, connections: 100, findingEvery: 100)
        #expect(recorder.messages == 400_000)
        #expect(recorder.messagesPerProtocol["les/4"] == 400_000)
        #expect(recorder.timeline?.total == 400_000)
        #expect((recorder.timeline?.counts.count ?? 0) <= 120)
        // Every message of connection 1 raised a finding: all 4000 counted, the budget's 2000 drawn.
        #expect(recorder.findingCounts["base/ping-pong"]?[.breach] == 4000)
        #expect(recorder.findings.count == budget.findings)
        #expect(recorder.undrawnFindings == 4000 - budget.findings)
        let drawn = ladders.reduce(0) { $0 + $1.steps.count }
        #expect(drawn <= 2 * budget.ladders * budget.edge + budget.steps + budget.findings, "\(drawn) steps drawn")
        #expect(ladders.count == 100, "every connection gets a ladder (within the budget's \(budget.ladders))")
        // Every drawn finding sits on a drawn step, once.
        let onSteps = ladders.flatMap(\.steps).flatMap(\.findings)
        #expect(onSteps.sorted() == Array(recorder.findings.indices))
        // Each drawn ladder keeps its first and last steps, in order, and says how many it left out.
        let second = ladders[1]
        #expect(second.steps.prefix(budget.edge).map(\.index) == Array(0..<budget.edge))
        #expect(second.steps.suffix(budget.edge).map(\.index) == Array((second.total - budget.edge)..<second.total))
        #expect(second.omitted == second.total - second.steps.count && second.omitted > 0)
        for ladder in ladders { #expect(ladder.steps.map(\.index) == ladder.steps.map(\.index).sorted()) }
    }

    @Test func aFloodOfFindingsIsCountedPastTheBudget() {
        let (recorder, _) = Self.recorded(messages: 30_000, connections: 1, findingEvery: 5)
        #expect(recorder.findingCounts["base/ping-pong"]?[.breach] == 6000)
        #expect(recorder.findings.count == ReportBudget().findings)
        #expect(recorder.undrawnFindings == 6000 - ReportBudget().findings)
    }

    @Test func theTimelineMergesBucketsInsteadOfGrowing() {
        var timeline = RateTimeline(origin: 0, capacity: 10, width: 1)
        for second in 0..<1000 { timeline.add(Double(second)) }
        #expect(timeline.total == 1000)
        #expect(timeline.counts.count <= 10)
        #expect(timeline.width == 128)
        timeline.add(-5)
        #expect(timeline.counts[0] == 129, "times before the origin count in the first bucket")
    }
}
