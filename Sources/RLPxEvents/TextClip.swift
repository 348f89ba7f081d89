// SPDX-License-Identifier: Apache-2.0

/// Long strings a peer chose (a client ID, a reason text) cut for a report line, saying how long they were.
public enum TextClip {
    /// The characters a clipped string keeps.
    public static let limit = 80

    /// `text` when it is at most `limit` characters; otherwise its start, an ellipsis and its full length.
    public static func clip(_ text: String, limit: Int = limit) -> String {
        guard text.count > limit else { return text }
        return "\(text.prefix(limit))… (\(text.utf8.count) bytes)"
    }
}
