// SPDX-License-Identifier: Apache-2.0

/// `value` with `digits` decimals (no Foundation here); reports use it for times.
public func decimal(_ value: Double, _ digits: Int) -> String {
    var scale = 1.0
    for _ in 0..<digits { scale *= 10 }
    let scaled = (value * scale).rounded()
    let whole = Int(scaled / scale)
    let fraction = Int(abs(scaled).truncatingRemainder(dividingBy: scale))
    guard digits > 0 else { return String(whole) }
    let text = String(fraction)
    return "\(value < 0 && whole == 0 ? "-" : "")\(whole)." + String(repeating: "0", count: max(0, digits - text.count)) + text
}
