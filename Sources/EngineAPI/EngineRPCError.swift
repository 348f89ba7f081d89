// SPDX-License-Identifier: Apache-2.0

/// A JSON-RPC error object, with the codes of JSON-RPC 2.0 and the Engine API (common.md, "Errors").
public struct EngineRPCError: Error, Hashable, Sendable, CustomStringConvertible {
    public let code: Int
    /// The spec's message, followed by `: detail` when there is one (except for -32000, whose detail goes in
    /// `data.err`).
    public let message: String
    /// The `data.err` of a -32000 "Server error".
    public let serverErrorDetail: String?

    public init(code: Int, message: String, serverErrorDetail: String? = nil) {
        self.code = code
        self.message = message
        self.serverErrorDetail = serverErrorDetail
    }

    public var description: String {
        "EngineRPCError(\(code)): \(message)" + (serverErrorDetail.map { " (\($0))" } ?? "")
    }

    private static func with(_ code: Int, _ message: String, _ detail: String?) -> EngineRPCError {
        EngineRPCError(code: code, message: detail.map { "\(message): \($0)" } ?? message)
    }

    /// -32700: the body is not JSON.
    public static let parseError = EngineRPCError(code: -32700, message: "Parse error")
    /// -32600: JSON, but not a request object.
    public static func invalidRequest(_ detail: String? = nil) -> EngineRPCError {
        with(-32600, "Invalid Request", detail)
    }
    /// -32601: a method this server does not serve.
    public static let methodNotFound = EngineRPCError(code: -32601, message: "Method not found")
    /// -32602: parameters that do not match the method's.
    public static func invalidParams(_ detail: String? = nil) -> EngineRPCError {
        with(-32602, "Invalid params", detail)
    }
    /// -32603.
    public static func internalError(_ detail: String? = nil) -> EngineRPCError {
        with(-32603, "Internal error", detail)
    }
    /// -32000, with `data: {err: detail}`.
    public static func serverError(_ detail: String) -> EngineRPCError {
        EngineRPCError(code: -32000, message: "Server error", serverErrorDetail: detail)
    }
    /// -38002: the safe or finalized block is not on the head's chain.
    public static func invalidForkchoiceState(_ detail: String? = nil) -> EngineRPCError {
        with(-38002, "Invalid forkchoice state", detail)
    }
    /// -38003: payload attributes that cannot start a build.
    public static func invalidPayloadAttributes(_ detail: String? = nil) -> EngineRPCError {
        with(-38003, "Invalid payload attributes", detail)
    }
    /// -38005: a payload or attributes of a fork the node does not support.
    public static func unsupportedFork(_ detail: String? = nil) -> EngineRPCError {
        with(-38005, "Unsupported fork", detail)
    }
}
