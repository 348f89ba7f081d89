// SPDX-License-Identifier: Apache-2.0

extension JSONValue {
    /// An indented tree for people: `key value` lines, nested objects and arrays indented, array items as `[i]`.
    public func renderedTree(indent: String = "") -> String {
        var out = ""
        renderTree(into: &out, indent: indent)
        return out
    }

    private func renderTree(into out: inout String, indent: String) {
        switch self {
        case .object(let members):
            for (key, value) in members { value.renderMember(key, into: &out, indent: indent) }
        case .array(let values):
            for (index, value) in values.enumerated() { value.renderMember("[\(index)]", into: &out, indent: indent) }
        default:
            out += indent + scalarText + "\n"
        }
    }

    private func renderMember(_ key: String, into out: inout String, indent: String) {
        switch self {
        case .object(let members) where !members.isEmpty:
            out += indent + key + "\n"
            renderTree(into: &out, indent: indent + "  ")
        case .array(let values) where !values.isEmpty:
            out += indent + key + " (\(values.count))\n"
            renderTree(into: &out, indent: indent + "  ")
        default:
            out += indent + key + " " + scalarText + "\n"
        }
    }

    private var scalarText: String {
        switch self {
        case .string(let text): text
        case .array: "[]"
        case .object: "{}"
        default: rendered()
        }
    }
}
