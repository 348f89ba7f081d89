// SPDX-License-Identifier: Apache-2.0
import Eth
import RLPxProtocols
import Snap

extension ProtocolMessage {
    /// The fields, as JSON.
    public var fields: JSONValue {
        switch self {
        case .eth(let message, _): EthJSON.fields(message)
        case .snap(let message, _): EthJSON.fields(message)
        }
    }
}
