// SPDX-License-Identifier: Apache-2.0
import DevP2P
import RLPxCrypto
import Testing

@testable import RLPxProbe

/// Tests and their expected reactions are data: every test lists what passes, the reports print that list, and the
/// runner gives OK to no reaction a test does not list, whatever its body says.
@Suite struct ExpectedReactionTests {
    /// Runs `test` alone against a target no body here dials.
    static func verdict(of test: ProbeTest, strict: Bool = false) -> ProbeResult? {
        var random = SystemRandom()
        let target = ProbeTarget(host: "nowhere", port: 1, publicKey: Secp256k1.PrivateKey.random(using: &random).publicKey)
        let introduction = ProbeIntroduction(hello: nil, announced: ProbeIntroduction.defaultProtocols, notes: [])
        let dialer = ProbeDialer(clock: DrivenProbeClock()) { _, _ throws(ProbeError) in throw ProbeError(.noConnection, "no dialing here") }
        var result: ProbeResult?
        ProbeSuite.run([test], against: target, introduction: introduction, strict: strict, dialer: dialer) { result = $0 }
        return result
    }

    static func test(level: ProbeTest.Level = .must, expects: [ExpectedReaction], _ observation: Observation) -> ProbeTest {
        ProbeTest("test/made-up", section: "none", level: level, sends: "nothing", expects: expects, from: .context) { _, _ in observation }
    }

    @Test func everyTestExpectsAReaction() {
        for test in ProbeSuite.all { #expect(!test.expected.isEmpty, "\(test.id)") }
        #expect(Set(ProbeSuite.all.map(\.id)).count == ProbeSuite.all.count, "identifiers are unique")
    }

    /// A body that calls silence a pass for a test that waits for a Pong fails: the verdict is the runner's.
    @Test func theRunnerRefusesAReactionATestDoesNotList() throws {
        let silence = Observation.saw(.silence, "nothing came")
        let unlisted = try #require(Self.verdict(of: Self.test(expects: [.message("Pong")], silence)))
        #expect(unlisted.verdict == .failed && unlisted.observed == "nothing came")
        #expect(Self.verdict(of: Self.test(level: .should, expects: [.message("Pong")], silence))?.verdict == .nonStrict)
        #expect(Self.verdict(of: Self.test(level: .should, expects: [.message("Pong")], silence), strict: true)?.verdict == .failed)
        #expect(Self.verdict(of: Self.test(expects: [.message("Pong"), .silence], silence))?.verdict == .ok)
        // A Disconnect for another reason than the listed ones, or a message of another name, is no refusal or answer.
        #expect(Self.verdict(of: Self.test(expects: .refusal([.uselessPeer]), .saw(.disconnect(.tooManyPeers), "")))?.verdict == .failed)
        #expect(Self.verdict(of: Self.test(expects: .refusal([.uselessPeer]), .saw(.closed(reset: true), "")))?.verdict == .ok)
        #expect(Self.verdict(of: Self.test(expects: [.message("BlockHeaders")], .saw(.message("BlockBodies"), "")))?.verdict == .failed)
        // Bytes the probe's own session refused are no refusal by the node.
        #expect(Self.verdict(of: Self.test(expects: .refusal(nil), .saw(.refusedByProbe("a bad frame"), "")))?.verdict == .failed)
        // A problem fails whatever was listed; an accepted reaction with a note is INFORMATIONAL; UNSUPPORTED stays so.
        #expect(Self.verdict(of: Self.test(expects: [.silence], .problem("wrong content")))?.verdict == .failed)
        #expect(Self.verdict(of: Self.test(expects: [.session], .saw(.session, "", informational: true)))?.verdict == .informational)
        #expect(Self.verdict(of: Self.test(expects: [.session], .unsupported("no eth")))?.verdict == .unsupported)
    }

    /// What a test prints as passing comes from its values.
    @Test func passesIsPrintedFromTheExpectedReactions() throws {
        let useless = try #require(try ProbeSuite.select("^p2p/hello/useless-peer$").first)
        #expect(useless.expected == [.disconnect([.uselessPeer]), .closed])
        #expect(useless.passes == "Disconnect 3 (useless peer), or the connection closed")
        let genesis = try #require(try ProbeSuite.select("^eth/headers/genesis$").first)
        #expect(genesis.passes == "BlockHeaders: the same request id and one header whose hash is the Status genesis")
        let result = ProbeResult(test: genesis, verdict: .failed, observed: "no Status", transcript: [], seconds: 0)
        #expect(ProbeReport.text(result).contains("    passes: BlockHeaders: the same request id"))
        #expect(ProbeReport.json([result]).contains(#""expects":["BlockHeaders"]"#))
        #expect(ProbeReport.tap([result]).contains("  passes: 'BlockHeaders: the same request id"))
        #expect(ProbeReport.junit([result]).contains("passes: BlockHeaders: the same request id"))
    }
}
