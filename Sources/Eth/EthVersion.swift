// SPDX-License-Identifier: Apache-2.0
import RLP

/// The eth protocol versions this module speaks, and the message codes each defines (relative to eth's offset).
public enum EthVersion {
    /// Every version, oldest first: eth/68 (EIP-5793), eth/69 (EIP-7642), eth/70 (EIP-7975), eth/71 (EIP-8159),
    /// eth/72 (EIP-8070). eth/71 and eth/72 follow drafts that may still change.
    public static let supported: ClosedRange<UInt> = 68...72

    /// go-ethereum's message-code space length per version: the codes a capability takes on a connection.
    public static func codeSpaceLength(_ version: UInt) -> UInt64? {
        switch version {
        case 68: 17
        case 69, 70: 18
        case 71: 20
        case 72: 22
        default: nil
        }
    }

    /// The message that `code` names on `version`, or nil when the version does not define it (eth/68's 0x0b–0x0e,
    /// codes past the space, later messages on earlier versions).
    ///
    /// NewBlockHashes and NewBlock are listed on eth/69+ by devp2p `caps/eth.md`, but go-ethereum has no handler
    /// for them there and disconnects a peer that sends them; this returns nil for them on eth/69+, so decoding
    /// them fails with ``RLPError/Code/unknownMessage`` and a reason that says so.
    public static func messageName(code: UInt64, version: UInt) -> String? {
        guard let length = codeSpaceLength(version), code < length else { return nil }
        switch code {
        case 1, 7: return version >= 69 ? nil : EthMessage.names[Int(code)]
        default: return EthMessage.names[Int(code)]
        }
    }
}
