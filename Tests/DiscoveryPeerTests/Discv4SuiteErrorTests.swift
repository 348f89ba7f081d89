// SPDX-License-Identifier: Apache-2.0
import Discovery
import Testing

@testable import DiscoveryPeer

/// A suite test that fails says why with a code: no answer from a node that is not there, a name it lacks.
@Suite struct Discv4SuiteErrorTests {
    static func silentSuite() throws -> Discv4Suite {
        // Port 9 on loopback: nothing answers discv4 there.
        var suite = Discv4Suite(target: Discv4Responder.Address(ip: try #require(IPAddress("127.0.0.1")), port: 9), targetID: nil)
        suite.timeout = .milliseconds(200)
        return suite
    }

    @Test func aSilentNodeIsNoAnswer() async throws {
        let suite = try Self.silentSuite()
        do {
            _ = try await suite.run("Ping/Basic")
            Issue.record("a silent node passed")
        } catch let error as DiscoveryPeerError {
            #expect(error.code == .noAnswer)
            #expect(error.description.hasPrefix("no Pong quoting the Ping within"))
        }
        let results = await suite.run(["Ping/Basic"])
        #expect(results.map(\.passed) == [false])
    }

    @Test func anUnknownNameIsUnknownTest() async throws {
        do {
            _ = try await Self.silentSuite().run("No/SuchTest")
            Issue.record("an unknown test ran")
        } catch let error as DiscoveryPeerError {
            #expect(error.code == .unknownTest)
        }
    }
}
