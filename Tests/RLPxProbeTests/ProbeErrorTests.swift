// SPDX-License-Identifier: Apache-2.0
import RLPxTestSupport
import Testing

@testable import RLPxProbe

/// A probe that cannot connect says why with a code, and whether the node is to blame.
@Suite struct ProbeErrorTests {
    @Test func aRefusedConnectionIsConnectFailedAndBlamesTheNode() throws {
        let refusing = try RefusingPort()
        defer { withExtendedLifetime(refusing) {} }
        let port = refusing.port
        let error = #expect(throws: ProbeError.self) { try ProbeSocket.connect(host: "127.0.0.1", port: port, timeout: 5) }
        #expect(error?.code == .connectFailed)
        #expect(error?.blamesNode == true)
        #expect(error?.description == "cannot connect to 127.0.0.1:\(port): connection refused")
    }
}
