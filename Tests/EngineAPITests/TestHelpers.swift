// SPDX-License-Identifier: Apache-2.0
import EngineAPI
import Foundation
import Synchronization

/// The code of the JWT error `body` throws, or nil when it throws none.
func jwtErrorCode(_ body: () throws -> Any) -> JWTError.Code? {
    do {
        _ = try body()
        return nil
    } catch {
        return (error as? JWTError)?.code
    }
}

/// The code of the client error `body` throws, or nil when it throws none.
func clientErrorCode(_ body: () async throws -> Any) async -> EngineAPIClientError.Code? {
    do {
        _ = try await body()
        return nil
    } catch {
        return (error as? EngineAPIClientError)?.code
    }
}

/// `bytes` parsed as a JSON object (nil when they are not one).
func jsonObject(_ bytes: [UInt8]?) -> [String: Any]? {
    bytes.flatMap { try? JSONSerialization.jsonObject(with: Data($0)) as? [String: Any] }
}

/// The `error.code` of a JSON-RPC response body.
func rpcErrorCode(_ bytes: [UInt8]?) -> Int? {
    (jsonObject(bytes)?["error"] as? [String: Any])?["code"] as? Int
}

/// The `result.payloadStatus.status` of a forkchoice response body.
func payloadStatus(_ bytes: [UInt8]?) -> String? {
    ((jsonObject(bytes)?["result"] as? [String: Any])?["payloadStatus"] as? [String: Any])?["status"] as? String
}

extension String {
    var bytes: [UInt8] { Array(utf8) }
}

/// The forkchoice updates a test's handler was given.
final class UpdateLog: Sendable {
    private let updates = Mutex<[ForkchoiceUpdate]>([])
    func append(_ update: ForkchoiceUpdate) { updates.withLock { $0.append(update) } }
    var all: [ForkchoiceUpdate] { updates.withLock { $0 } }
}
