// SPDX-License-Identifier: Apache-2.0
import Foundation

/// A call this server serves, its parameters checked.
enum EngineRPCCall: Hashable, Sendable {
    case exchangeCapabilities
    case forkchoiceUpdated(ForkchoiceUpdate)

    /// The call `method(params)` names, or the error to answer it with.
    static func parse(method: String, params: Any?) -> Result<EngineRPCCall, EngineRPCError> {
        if method == "engine_exchangeCapabilities" {
            // One parameter: the methods the consensus client supports (read, and not needed here).
            guard let list = params as? [Any], list.count == 1, let names = list[0] as? [Any],
                names.allSatisfy({ $0 is String })
            else { return .failure(.invalidParams("expected [[method names]]")) }
            return .success(.exchangeCapabilities)
        }
        let prefix = "engine_forkchoiceUpdatedV"
        guard method.hasPrefix(prefix), let version = Int(method.dropFirst(prefix.count)),
            ForkchoiceParams.versions.contains(version), method == prefix + String(version)
        else { return .failure(.methodNotFound) }
        return ForkchoiceParams.parse(params, version: version).map { .forkchoiceUpdated($0) }
    }
}

/// One request object of a body, checked: its id (nil for a notification, which gets no answer) and its call.
struct JSONRPCRequest: Sendable {
    var id: JSONRPCID?
    var call: Result<EngineRPCCall, EngineRPCError>

    /// The request `value` (one element of a batch, or the whole body) describes.
    init(json value: Any) {
        guard let object = value as? [String: Any] else {
            self.init(id: .null, call: .failure(.invalidRequest("a request is a JSON object")))
            return
        }
        var id: JSONRPCID?
        if let raw = object["id"] {
            guard let parsed = JSONRPCID(json: raw) else {
                self.init(id: .null, call: .failure(.invalidRequest("id must be a string, a number or null")))
                return
            }
            id = parsed
        }
        guard object["jsonrpc"] as? String == "2.0" else {
            self.init(id: id ?? .null, call: .failure(.invalidRequest("jsonrpc must be \"2.0\"")))
            return
        }
        guard let method = object["method"] as? String else {
            self.init(id: id ?? .null, call: .failure(.invalidRequest("method must be a string")))
            return
        }
        self.init(id: id, call: EngineRPCCall.parse(method: method, params: object["params"]))
    }

    init(id: JSONRPCID?, call: Result<EngineRPCCall, EngineRPCError>) {
        self.id = id
        self.call = call
    }
}
