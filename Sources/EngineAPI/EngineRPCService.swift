// SPDX-License-Identifier: Apache-2.0
import Foundation

/// The JSON-RPC side of the server, without sockets: a request body in, a response body out. Serves
/// `engine_exchangeCapabilities` and `engine_forkchoiceUpdatedV1`…`V4`; every other method is -32601.
public struct EngineRPCService: Sendable {
    /// The methods served, as `engine_exchangeCapabilities` lists them (the spec leaves that method itself out).
    public static let capabilities = ForkchoiceParams.versions.map { "engine_forkchoiceUpdatedV\($0)" }
    /// The most requests one batch may hold (go-ethereum's default limit); a larger batch is one -32600 error.
    public static let maximumBatchSize = 1000

    private let forkchoice: ForkchoiceHandler

    /// A service that hands forkchoice updates to `forkchoice`.
    public init(forkchoice: @escaping ForkchoiceHandler) {
        self.forkchoice = forkchoice
    }

    /// The response body for the request body `body` (one request or a batch), or nil when nothing is to be
    /// answered (notifications only). Calls of a batch run one after the other, in order.
    public func respond(to body: [UInt8]) async -> [UInt8]? {
        guard let value = try? JSONSerialization.jsonObject(with: Data(body), options: [.fragmentsAllowed]) else {
            return JSONRPCResponse.encode(JSONRPCResponse(id: .null, outcome: .failure(.parseError)).json)
        }
        guard let batch = value as? [Any] else {
            let response = await run(JSONRPCRequest(json: value))
            return response.map { JSONRPCResponse.encode($0.json) }
        }
        guard !batch.isEmpty, batch.count <= Self.maximumBatchSize else {
            let error = EngineRPCError.invalidRequest(
                batch.isEmpty ? "empty batch" : "batch of more than \(Self.maximumBatchSize)")
            return JSONRPCResponse.encode(JSONRPCResponse(id: .null, outcome: .failure(error)).json)
        }
        let requests = batch.map(JSONRPCRequest.init(json:))
        var responses: [JSONRPCResponse] = []
        for request in requests {
            if let response = await run(request) { responses.append(response) }
        }
        return responses.isEmpty ? nil : JSONRPCResponse.encode(responses.map(\.json))
    }

    /// The response to `request`, or nil for a notification.
    func run(_ request: JSONRPCRequest) async -> JSONRPCResponse? {
        let outcome: Result<JSONRPCResult, EngineRPCError>
        switch request.call {
        case .failure(let error): outcome = .failure(error)
        case .success(.exchangeCapabilities): outcome = .success(.capabilities(Self.capabilities))
        case .success(.forkchoiceUpdated(let update)): outcome = await forkchoiceUpdated(update)
        }
        return request.id.map { JSONRPCResponse(id: $0, outcome: outcome) }
    }

    /// Applies `update` through the handler; attributes on a VALID head are refused afterwards (-38003), since
    /// this server starts no payload builds and the spec keeps the applied fork choice in that case.
    func forkchoiceUpdated(_ update: ForkchoiceUpdate) async -> Result<JSONRPCResult, EngineRPCError> {
        do {
            let status = try await forkchoice(update)
            if update.hasPayloadAttributes, status.status == .valid {
                return .failure(.invalidPayloadAttributes("this node builds no payloads"))
            }
            return .success(.forkchoice(status))
        } catch let error as EngineRPCError {
            return .failure(error)
        } catch {
            return .failure(.serverError(String(describing: error)))
        }
    }
}
