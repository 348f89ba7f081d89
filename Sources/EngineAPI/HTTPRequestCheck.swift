// SPDX-License-Identifier: Apache-2.0
import NIOHTTP1

/// Why a request gets an HTTP error instead of a JSON-RPC answer.
struct HTTPRejection: Hashable, Sendable {
    var status: HTTPResponseStatus
    var message: String
    /// Whether the connection closes after the answer (the body was too large to read on).
    var closes: Bool = false
}

/// The checks a request's head passes before its body is read, in go-ethereum's order: the JWT first (401),
/// then the HTTP method (405), the declared length (413) and the content type (415).
enum HTTPRequestCheck {
    /// The media types go-ethereum accepts for JSON-RPC.
    static let acceptedContentTypes: Set<String> = [
        "application/json", "application/json-rpc", "application/jsonrequest",
    ]

    /// The rejection `head` earns, or nil when its body should be read and answered. `now` is seconds since 1970.
    static func check(_ head: HTTPRequestHead, secret: JWTSecret, now: Double, maximumBodySize: Int) -> HTTPRejection? {
        do {
            _ = try authenticate(head.headers, secret: secret, now: now)
        } catch {
            return HTTPRejection(status: .unauthorized, message: error.reason)
        }
        guard head.method == .POST else {
            return HTTPRejection(status: .methodNotAllowed, message: "method not allowed")
        }
        if let declared = head.headers.first(name: "content-length").flatMap({ Int($0) }), declared > maximumBodySize {
            return HTTPRejection(
                status: .payloadTooLarge, message: "content length too large (\(declared) > \(maximumBodySize))",
                closes: true)
        }
        let mediaType = head.headers.first(name: "content-type")?.split(separator: ";").first
            .map { $0.trimmed(of: " \t").lowercased() }
        guard let mediaType, acceptedContentTypes.contains(mediaType) else {
            return HTTPRejection(
                status: .unsupportedMediaType, message: "invalid content type, only application/json is supported")
        }
        return nil
    }

    /// The claims of the `Authorization: Bearer <token>` in `headers` (the scheme in any case).
    static func authenticate(_ headers: HTTPHeaders, secret: JWTSecret, now: Double) throws(JWTError) -> JWTClaims {
        guard let value = headers.first(name: "authorization"), value.count >= 7,
            value.prefix(7).lowercased() == "bearer "
        else {
            throw JWTError(.missingToken, "missing token")
        }
        let token = value.dropFirst(7).trimmed(of: " \t")
        guard !token.isEmpty else { throw JWTError(.missingToken, "missing token") }
        return try JWT.verify(token, secret: secret, now: now)
    }
}
