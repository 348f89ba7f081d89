// SPDX-License-Identifier: Apache-2.0
import Foundation

extension JWTSecret {
    /// The secret in the file at `path` (64 hex digits, `0x` optional, white space around them ignored), as
    /// `--authrpc.jwtsecret` files hold it.
    public init(contentsOfFile path: String) throws(JWTError) {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw JWTError(.unreadableSecretFile, "cannot read \(path)")
        }
        // A secret file is 66 bytes or so: anything much longer is not one (and is not read as text).
        guard data.count <= 1024, let text = String(data: data, encoding: .utf8) else {
            throw JWTError(.invalidSecret, "\(path) does not hold 64 hex digits")
        }
        try self.init(hex: text)
    }
}
