// SPDX-License-Identifier: Apache-2.0
import RLP
import Testing

/// The error code we report for each error go-ethereum's tables name.
let gethErrorCodes: [String: RLPError.Code] = [
    "ErrCanonSize": .nonCanonicalSize,
    "ErrCanonInt": .nonCanonicalInteger,
    "ErrValueTooLarge": .valueTooLarge,
    // A buffered reader knows the input length, so running out mid-value is "value too large" for us.
    "UnexpectedEOF": .valueTooLarge,
    "ErrElemTooLarge": .elementTooLarge,
    "ErrExpectedString": .expectedBytes,
    "ErrExpectedList": .expectedList,
    "ErrUintOverflow": .integerOverflow,
    "Uint256Overflow": .integerOverflow,
    "InvalidBool": .invalidBool,
    "TooFewElements": .tooFewElements,
    "TooManyElements": .tooManyElements,
    "StringTooShort": .wrongByteCount,
    "StringTooLong": .wrongByteCount,
    "EOL": .tooFewElements,
    "ErrNotAtEOL": .tooManyElements,
    "EOF": .unexpectedEnd,
    "ErrMoreThanOneValue": .trailingBytes,
    "NegativeBigInt": .unsupportedValue,
]

/// Runs `body` and returns the code of the ``RLPError`` it threw, or nil when it returned.
func thrownCode(_ body: () throws -> Void) -> RLPError.Code? {
    do {
        try body()
        return nil
    } catch let error as RLPError {
        return error.code
    } catch {
        Issue.record("expected an RLPError, got \(error)")
        return nil
    }
}
