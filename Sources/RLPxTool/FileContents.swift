// SPDX-License-Identifier: Apache-2.0
import Foundation
import RLPxServe

/// The bytes of the file at `path`, or why they cannot be read: `what` names the file in the message
/// (`cannot read genesis file /x.json: no such file`).
/// - Throws: ``ToolError`` when the file is missing, a directory or not readable.
func fileContents(_ path: String, _ what: String) throws(ToolError) -> Data {
    do {
        return try ChainFiles.contents(path, what)
    } catch {
        throw ToolError(.unreadableFile, error.reason)
    }
}

/// ``fileContents(_:_:)``, or that reason as one line on stderr and the exit status `status`.
func fileContentsOrExit(_ path: String, _ what: String, status: Int32 = 1) -> Data {
    do {
        return try fileContents(path, what)
    } catch {
        fail(error.description, status: status)
    }
}
