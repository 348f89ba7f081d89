// SPDX-License-Identifier: Apache-2.0
import RLP

/// `value` with `digits` decimals (no Foundation here); reports use it for times.
public func decimal(_ value: Double, _ digits: Int) -> String {
    var out: [UInt8] = []
    DecimalText.append(value, digits: digits, to: &out)
    return String(decoding: out, as: UTF8.self)
}
