// SPDX-License-Identifier: Apache-2.0
import Foundation

/// What a call returns.
enum JSONRPCResult: Hashable, Sendable {
    /// `engine_exchangeCapabilities`: the methods served.
    case capabilities([String])
    /// `engine_forkchoiceUpdated`: the status, and no payload ID (this server builds no payloads).
    case forkchoice(PayloadStatus)

    var json: Any {
        switch self {
        case .capabilities(let names): names
        case .forkchoice(let status):
            [
                "payloadStatus": [
                    "status": status.status.rawValue,
                    "latestValidHash": status.latestValidHash.map { $0.hex as Any } ?? NSNull(),
                    "validationError": status.validationError.map { $0 as Any } ?? NSNull(),
                ] as [String: Any],
                "payloadId": NSNull(),
            ] as [String: Any]
        }
    }
}

/// One response object.
struct JSONRPCResponse: Sendable {
    var id: JSONRPCID
    var outcome: Result<JSONRPCResult, EngineRPCError>

    var json: [String: Any] {
        var object: [String: Any] = ["jsonrpc": "2.0", "id": id.json]
        switch outcome {
        case .success(let result): object["result"] = result.json
        case .failure(let error):
            var body: [String: Any] = ["code": error.code, "message": error.message]
            if let detail = error.serverErrorDetail { body["data"] = ["err": detail] }
            object["error"] = body
        }
        return object
    }

    /// `value` (a response object or an array of them) as JSON bytes.
    static func encode(_ value: Any) -> [UInt8] {
        guard
            let data = try? JSONSerialization.data(
                withJSONObject: value, options: [.sortedKeys, .withoutEscapingSlashes])
        else {
            // Only values built above reach here, all of which serialize; answer something valid regardless.
            return Array(#"{"error":{"code":-32603,"message":"Internal error"},"id":null,"jsonrpc":"2.0"}"#.utf8)
        }
        return Array(data)
    }
}
