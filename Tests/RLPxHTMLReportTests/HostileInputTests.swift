// SPDX-License-Identifier: Apache-2.0
import DevP2P
import Foundation
import RLPxConformance
import RLPxEvents
import RLPxHTMLReport
import Testing

/// What a peer chose (a client ID, endpoints, reason texts) cannot break out of the page: it is escaped in the
/// markup and in the script's JSON.
@Suite struct HostileInputTests {
    @Test func aPeersTextStaysText() {
        let hostile = "</script><script>alert(1)</script><img src=x onerror=alert(2)>\u{0}\u{7}"
        let hello = Hello(clientID: hostile, capabilities: [], nodeID: [UInt8](repeating: 1, count: 64))
        let message = DecodedMessage(
            protocolName: "p2p", version: nil, code: 0, wireCode: 0, name: "Hello", payload: hello.rlpEncoded(), value: .hello(hello))
        var report = ConformanceHTMLReport(rules: [], title: hostile, rerun: "rlpx-tool conformance '\(hostile)'")
        report.start(at: 0)
        report.record(ConnectionEvent(connection: 1, time: 0, kind: .opened(initiator: hostile, recipient: "\"><b>x</b>")), findings: [])
        report.record(
            ConnectionEvent(connection: 1, time: 1, kind: .message(.initiator, message)),
            findings: [Finding(ruleID: "base/hello-size", severity: .breach, connection: 1, side: .initiator, time: 1, detail: hostile)])
        report.record(ConnectionEvent(connection: 1, time: 2, kind: .closed), findings: [])
        let html = report.render(connections: [])
        #expect(!html.contains("<script>alert"))
        #expect(!html.contains("<img"))
        #expect(!html.contains("<b>x</b>"))
        #expect(!html.contains("\u{0}") && !html.contains("\u{7}"))
        // Three script elements: the error trap, the step data and the page's script; the data holds the text.
        #expect(html.components(separatedBy: "<script").count - 1 == 3)
        #expect(html.contains("\\u003c/script>\\u003cscript>alert(1)"))
        #expect(html.contains("&lt;/script&gt;&lt;script&gt;alert(1)"))
    }
}
