// SPDX-License-Identifier: Apache-2.0

extension ProtocolSpec {
    /// Parses `name/version:length` (`eth/68:17`).
    public init?(_ text: some StringProtocol) {
        let parts = text.split(separator: ":")
        guard parts.count == 2, let length = UInt64(parts[1]) else { return nil }
        let capability = parts[0].split(separator: "/")
        guard capability.count == 2, !capability[0].isEmpty, let version = UInt(capability[1]) else { return nil }
        self.init(name: String(capability[0]), version: version, length: length)
    }

    /// Parses a comma-separated list of entries, each read by `entry` (`name/version:length` by default); nil if
    /// any entry is malformed.
    public static func parseList(
        _ text: String, entry parse: (Substring) -> ProtocolSpec? = { ProtocolSpec($0) }
    ) -> [ProtocolSpec]? {
        var specs: [ProtocolSpec] = []
        for entry in text.split(separator: ",") {
            guard let spec = parse(Substring(entry.trimmingPrefix(" "))) else { return nil }
            specs.append(spec)
        }
        return specs
    }
}
