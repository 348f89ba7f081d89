// SPDX-License-Identifier: Apache-2.0
import Foundation

/// `data` parsed as JSON, or where it stops being JSON: ``ServeError/Code/invalidJSON`` with the line and column
/// (`not JSON: line 4, column 18: invalid value`).
package func parseJSON(_ data: Data) throws(ServeError) -> Any {
    do {
        return try JSONSerialization.jsonObject(with: data)
    } catch {
        throw syntaxError(error as NSError, in: data)
    }
}

/// Where JSONSerialization's error points: the byte offset it gives (in its userInfo, or in its debug text as
/// "around character N"), or the end of the data when it ran out, as a line and column.
private func syntaxError(_ error: NSError, in data: Data) -> ServeError {
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
    guard let offset, offset >= 0, offset <= data.count else { return ServeError(.invalidJSON, "not JSON: \(reason)") }
    let before = data.prefix(offset)
    let lineStart = before.lastIndex(of: UInt8(ascii: "\n")).map { $0 + 1 } ?? before.startIndex
    let line = before.count { $0 == UInt8(ascii: "\n") } + 1
    let column = String(decoding: before[lineStart...], as: UTF8.self).unicodeScalars.count + 1
    return ServeError(.invalidJSON, "not JSON: line \(line), column \(column): \(reason)", line: line, column: column)
}
