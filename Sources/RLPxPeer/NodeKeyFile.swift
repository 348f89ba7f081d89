// SPDX-License-Identifier: Apache-2.0
import RLP
import RLPxCrypto

#if canImport(Glibc)
    import Glibc
#endif

/// A node key file as go-ethereum writes and reads it (`crypto.SaveECDSA`, `LoadECDSA`, `devp2p key generate`):
/// the 32-byte private key as 64 hex digits on one line, readable by its owner only.
public enum NodeKeyFile {
    /// The key `text` holds: 64 hex digits (a `0x` prefix allowed), then nothing but whitespace.
    public static func parse(_ text: String) throws(PeerError) -> Secp256k1.PrivateKey {
        let trimmed = text.trimmingWhitespace
        let digits = trimmed.hasPrefix("0x") ? trimmed.dropFirst(2) : trimmed[...]
        guard digits.count == 64, let bytes = try? Hex.decode(String(digits)) else {
            throw PeerError(.invalidNodeKey, "not a node key: want 64 hex digits on one line")
        }
        guard let key = try? Secp256k1.PrivateKey(rawRepresentation: bytes) else {
            throw PeerError(.invalidNodeKey, "not a node key: not a secp256k1 private key")
        }
        return key
    }

    /// The key in the file at `path`.
    public static func read(_ path: String) throws(PeerError) -> Secp256k1.PrivateKey {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw PeerError(.nodeKeyUnreadable, "cannot read node key file \(path): \(reason(errno))") }
        defer { close(fd) }
        // A key file is 64 digits and a newline; anything much longer is not one.
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
        guard count >= 0 else { throw PeerError(.nodeKeyUnreadable, "cannot read node key file \(path): \(reason(errno))") }
        do {
            return try parse(String(decoding: buffer.prefix(count), as: UTF8.self))
        } catch {
            throw PeerError(error.code, "\(path): \(error.reason)")
        }
    }

    /// Writes `key` to a new file at `path`, mode 0600, as 64 hex digits and a newline; an existing file is kept.
    public static func write(_ key: Secp256k1.PrivateKey, to path: String) throws(PeerError) {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            let error = errno
            throw PeerError(
                .nodeKeyUnwritable,
                "cannot write node key file \(path): \(error == EEXIST ? "it exists (a node key is not overwritten)" : reason(error))")
        }
        defer { close(fd) }
        // The mode is set whatever the umask.
        _ = fchmod(fd, 0o600)
        let line = Array((Hex.encode(key.rawRepresentation) + "\n").utf8)
        let written = line.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
        guard written == line.count else { throw PeerError(.nodeKeyUnwritable, "cannot write node key file \(path): \(reason(errno))") }
    }

    private static func reason(_ code: Int32) -> String {
        switch code {
        case ENOENT: "no such file"
        case EACCES: "permission denied"
        case EISDIR: "it is a directory"
        default: String(cString: strerror(code))
        }
    }
}

extension String {
    /// The text without leading and trailing spaces, tabs and line ends.
    fileprivate var trimmingWhitespace: Substring {
        guard let first = firstIndex(where: { !$0.isWhitespace }), let last = lastIndex(where: { !$0.isWhitespace }) else { return "" }
        return self[first...last]
    }
}
