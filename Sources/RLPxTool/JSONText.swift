// SPDX-License-Identifier: Apache-2.0
import Foundation

/// JSON text that does not parse: what is wrong and where (`not JSON: line 4, column 18: invalid value`).
struct JSONSyntaxError: Error, CustomStringConvertible {
    /// 1-based, counted in lines and Unicode scalars; nil when the parser did not say where.
    var line: Int?
    var column: Int?
    var reason: String

    var description: String {
        guard let line, let column else { return "not JSON: \(reason)" }
        return "not JSON: line \(line), column \(column): \(reason)"
    }
}

/// `data` parsed as JSON, or where it stops being JSON.
func parseJSON(_ data: Data) throws(JSONSyntaxError) -> Any {
    do {
        return try JSONSerialization.jsonObject(with: data)
    } catch {
        throw syntaxError(error as NSError, in: data)
    }
}

/// Where JSONSerialization's error points: the byte offset it gives (in its userInfo, or in its debug text as
/// "around character N"), or the end of the data when it ran out, as a line and column.
private func syntaxError(_ error: NSError, in data: Data) -> JSONSyntaxError {
    let text = error.userInfo[NSDebugDescriptionErrorKey] as? String ?? error.localizedDescription
    var reason = text
    var offset = error.userInfo["NSJSONSerializationErrorIndex"] as? Int
    if let match = text.firstMatch(of: /^(.*?)\s+(?:around character|at) (\d+)\.?$/) {
        reason = String(match.1)
        offset = offset ?? Int(match.2)
    } else if text.localizedCaseInsensitiveContains("end of file") {
        offset = offset ?? data.count
    }
    if reason.hasSuffix(".") { reason.removeLast() }
    reason = reason.prefix(1).lowercased() + reason.dropFirst()
    guard let offset, offset >= 0, offset <= data.count else { return JSONSyntaxError(reason: reason) }
    let before = data.prefix(offset)
    let lineStart = before.lastIndex(of: UInt8(ascii: "\n")).map { $0 + 1 } ?? before.startIndex
    let line = before.count { $0 == UInt8(ascii: "\n") } + 1
    let column = String(decoding: before[lineStart...], as: UTF8.self).unicodeScalars.count + 1
    return JSONSyntaxError(line: line, column: column, reason: reason)
}
