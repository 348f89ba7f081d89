// SPDX-License-Identifier: Apache-2.0

extension StringProtocol {
    /// The text without the leading and trailing characters that are in `characters`.
    func trimmed(of characters: String) -> String {
        let scalars = Set(characters.unicodeScalars)
        let view = unicodeScalars
        guard let first = view.firstIndex(where: { !scalars.contains($0) }),
            let last = view.lastIndex(where: { !scalars.contains($0) })
        else { return "" }
        return String(String.UnicodeScalarView(view[first...last]))
    }
}
