// SPDX-License-Identifier: Apache-2.0

/// `value` with `digits` decimals (no Foundation here); reports use it for times.
public func decimal(_ value: Double, _ digits: Int) -> String {
    var out: [UInt8] = []
    appendDecimal(value, digits, to: &out)
    return String(decoding: out, as: UTF8.self)
}

/// Appends `value` with `digits` decimals to `out`, as ``decimal(_:_:)`` writes it, without making a string (the
/// transcript writes one per message).
public func appendDecimal(_ value: Double, _ digits: Int, to out: inout [UInt8]) {
    var scale = 1.0
    for _ in 0..<digits { scale *= 10 }
    let scaled = (value * scale).rounded()
    guard scaled.isFinite, abs(scaled) < 0x1p62 else {
        // Past what an integer holds: the shortest form Swift prints (never reached by a capture's times).
        out += Array(String(value).utf8)
        return
    }
    // Below 2^53 the scaled value is an exact integer and integer division gives what the floating-point one
    // gives (whole part truncated, remainder of the magnitude), without a call to fmod.
    let exact = abs(scaled) < 0x1p53 && scale < 0x1p53
    let whole = exact ? Int(scaled) / Int(scale) : Int(scaled / scale)
    guard digits > 0 else { return appendInteger(whole, to: &out) }
    if value < 0 && whole == 0 { out.append(UInt8(ascii: "-")) }
    appendInteger(whole, to: &out)
    out.append(UInt8(ascii: "."))
    var fraction = exact ? abs(Int(scaled) % Int(scale)) : Int(abs(scaled).truncatingRemainder(dividingBy: scale))
    let end = out.count + digits
    out += repeatElement(UInt8(ascii: "0"), count: digits)
    var index = end - 1
    while fraction > 0 && index >= end - digits {
        out[index] = UInt8(ascii: "0") + UInt8(fraction % 10)
        fraction /= 10
        index -= 1
    }
}

/// Appends `value` in decimal to `out`, as `String(value)` writes it.
public func appendInteger(_ value: Int, to out: inout [UInt8]) {
    if value < 0 { out.append(UInt8(ascii: "-")) }
    var magnitude = value.magnitude
    var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // up to 20 digits, most significant last
    var count = 0
    withUnsafeMutableBytes(of: &digits) { buffer in
        repeat {
            buffer[count] = UInt8(ascii: "0") + UInt8(magnitude % 10)
            magnitude /= 10
            count += 1
        } while magnitude > 0
        for index in stride(from: count - 1, through: 0, by: -1) { out.append(buffer[index]) }
    }
}
