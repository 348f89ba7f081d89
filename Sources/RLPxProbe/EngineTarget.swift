// SPDX-License-Identifier: Apache-2.0
import EngineAPI

/// The node's Engine API, where the transaction tests name the head before they send anything: go-ethereum takes
/// transactions only once it counts as synced, which after an import means once the consensus side has called
/// `engine_forkchoiceUpdated` with a known head (go-ethereum's suite posts it before each transaction test).
public struct EngineTarget: Sendable {
    /// What a post got.
    public enum Outcome: Sendable {
        /// An HTTP answer (its status and body are reported, not judged: go-ethereum's suite ignores them).
        case answered(status: Int, body: [UInt8])
        /// No HTTP answer: the probe's problem (a wrong URL, nothing listening), not a verdict on the node.
        case failed(String)
    }

    /// Where posts go, as the report names it.
    public let url: String
    /// Posts a JSON-RPC body, waiting at most the given seconds.
    let post: @Sendable (_ body: [UInt8], _ timeout: Double) -> Outcome

    /// Posts over HTTP to `url` (`http://host:port[/path]`) with a JWT made from `secret` for each post.
    public init(url: String, secret: JWTSecret) throws(EngineAPIClientError) {
        let endpoint = try EngineEndpoint(url: url)
        self.url = endpoint.description
        post = { body, timeout in
            let client = EngineAPIClient(endpoint: endpoint, secret: secret, timeout: .milliseconds(Int64(max(0.001, timeout) * 1000)))
            // The client's own timeout ends the post; the margin only covers its last steps.
            let outcome = BlockingTask.run(within: timeout + 2) { () async -> Outcome in
                do throws(EngineAPIClientError) {
                    let response = try await client.post(body)
                    return .answered(status: response.status, body: response.body)
                } catch {
                    return .failed("\(error.reason) (\(error.code))")
                }
            }
            return outcome ?? .failed("no answer within \(timeout) s")
        }
    }

    /// Posts with `post` (a node in memory, in the probe's own tests).
    public init(url: String, post: @escaping @Sendable (_ body: [UInt8], _ timeout: Double) -> Outcome) {
        self.url = url
        self.post = post
    }
}
