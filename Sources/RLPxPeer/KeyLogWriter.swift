// SPDX-License-Identifier: Apache-2.0
import RLPxHandshake

#if canImport(Glibc)
    import Glibc
#endif

/// Appends key log lines (`KeyLogEntry`) to a file created with owner-only permissions. Each line
/// is one `write` on a descriptor opened with `O_APPEND`, so lines from many connections never interleave.
/// The file decrypts every logged session: keep it private.
public final class KeyLogWriter: Sendable {
    private let descriptor: Int32
    public let path: String

    /// Opens (or creates, mode 0600) `path` for appending.
    /// - Throws: ``PeerError/Code/keyLogUnavailable``.
    public init(path: String) throws(PeerError) {
        let fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw PeerError(.keyLogUnavailable, "cannot open key log \(path): errno \(errno)") }
        descriptor = fd
        self.path = path
    }

    /// Appends the entry for `secrets`, with both node IDs.
    public func append(_ secrets: SessionSecrets, localID: [UInt8], remoteID: [UInt8]) {
        let (initiator, recipient) = secrets.role == .initiator ? (localID, remoteID) : (remoteID, localID)
        append(line: KeyLogEntry(secrets: secrets, initiatorID: initiator, recipientID: recipient).line)
    }

    /// Appends one line of another key log format (discv5's `DISCV5_SESSION`), newline added.
    public func append(line: String) {
        let bytes = Array((line + "\n").utf8)
        _ = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
    }

    deinit { close(descriptor) }
}
