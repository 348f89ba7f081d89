// SPDX-License-Identifier: Apache-2.0
import Eth
import Foundation
import RLP

/// A go-ethereum `genesis.json` read as go-ethereum reads it: the `config` block's chain ID and fork schedule, the
/// genesis header fields and the `alloc`.
package enum GenesisFile {
    /// - Throws: ``ServeError/Code/invalidGenesis`` naming the field, or ``ServeError/Code/invalidJSON`` with where.
    package static func genesis(json data: Data) throws(ServeError) -> Genesis {
        let object = try parseJSON(data)
        guard let root = object as? [String: Any], let config = root["config"] as? [String: Any] else {
            throw ServeError(.invalidGenesis, "no \"config\" object")
        }
        guard let chainID = number(config["chainId"]) else { throw ServeError(.invalidGenesis, "config.chainId is missing or not a number") }
        var forks: [String: UInt64] = [:]
        for (key, value) in config where key.hasSuffix("Block") || key.hasSuffix("Time") {
            guard !(value is NSNull) else { continue }
            guard let fork = number(value) else { throw ServeError(.invalidGenesis, "config.\(key) is not a number") }
            forks[key] = fork
        }
        var genesis = Genesis(chainID: chainID, forks: forks)
        genesis.nonce = try field(root, "nonce", number) ?? 0
        genesis.timestamp = try field(root, "timestamp", number) ?? 0
        genesis.extraData = try field(root, "extraData", bytes) ?? []
        genesis.gasLimit = try field(root, "gasLimit", number) ?? 0
        genesis.gasUsed = try field(root, "gasUsed", number) ?? 0
        genesis.number = try field(root, "number", number) ?? 0
        genesis.difficulty = try field(root, "difficulty", uint256)
        genesis.baseFeePerGas = try field(root, "baseFeePerGas", uint256)
        genesis.excessBlobGas = try field(root, "excessBlobGas", number)
        genesis.blobGasUsed = try field(root, "blobGasUsed", number)
        genesis.mixHash = try field(root, "mixHash", fixed) ?? Hash32()
        genesis.parentHash = try field(root, "parentHash", fixed) ?? Hash32()
        genesis.coinbase = try field(root, "coinbase", fixed) ?? Address()
        let alloc = root["alloc"].flatMap { $0 is NSNull ? nil : $0 } ?? [String: Any]()
        guard let accounts = alloc as? [String: Any] else {
            throw ServeError(.invalidGenesis, "alloc is not an object")
        }
        for (key, value) in accounts {
            guard digits(key).count == 40, let address = try? Address(hex: key) else {
                throw ServeError(.invalidGenesis, "alloc key \(key) is not a 20-byte address")
            }
            guard let fields = value as? [String: Any] else { throw ServeError(.invalidGenesis, "alloc.\(key) is not an object") }
            genesis.alloc[address] = try account(fields, path: "alloc.\(key)")
        }
        return genesis
    }

    private static func account(_ fields: [String: Any], path: String) throws(ServeError) -> Genesis.Account {
        guard let balance = try field(fields, "balance", uint256, path: path) else {
            throw ServeError(.invalidGenesis, "\(path).balance is missing")
        }
        var account = Genesis.Account(balance: balance)
        account.nonce = try field(fields, "nonce", number, path: path) ?? 0
        account.code = try field(fields, "code", bytes, path: path) ?? []
        if let storage = fields["storage"], !(storage is NSNull) {
            guard let slots = storage as? [String: Any] else { throw ServeError(.invalidGenesis, "\(path).storage is not an object") }
            for (key, value) in slots {
                guard let slot = word(key), let text = value as? String, let stored = word(text) else {
                    throw ServeError(.invalidGenesis, "\(path).storage[\(key)] is not a 32-byte hex key and value")
                }
                account.storage[slot] = stored
            }
        }
        return account
    }

    /// `object[key]` parsed by `parse`; nil when absent or null, an error naming the field when it does not parse.
    private static func field<T>(
        _ object: [String: Any], _ key: String, _ parse: (Any?) -> T?, path: String? = nil
    ) throws(ServeError) -> T? {
        guard let value = object[key], !(value is NSNull) else { return nil }
        guard let parsed = parse(value) else {
            throw ServeError(.invalidGenesis, "\(path.map { $0 + "." } ?? "")\(key) is not a valid value: \(value)")
        }
        return parsed
    }

    /// A JSON number, a decimal string or a `0x` hex string, as go-ethereum's genesis decoding accepts them.
    static func number(_ value: Any?) -> UInt64? {
        if let text = value as? String {
            if text.hasPrefix("0x") || text.hasPrefix("0X") { return UInt64(text.dropFirst(2), radix: 16) }
            return UInt64(text)
        }
        guard let number = value as? NSNumber else { return nil }
        let double = number.doubleValue
        guard double >= 0, double < 18_446_744_073_709_551_616, double == double.rounded() else { return nil }
        return number.uint64Value
    }

    /// A 256-bit number: a decimal or `0x` hex string, or a JSON number small enough to be exact.
    static func uint256(_ value: Any?) -> UInt256? {
        if let text = value as? String { return BigUInt(text).flatMap { UInt256($0) } }
        return number(value).map { UInt256($0) }
    }

    /// `0x`-prefixed hex bytes.
    static func bytes(_ value: Any?) -> [UInt8]? {
        guard let text = value as? String, text.hasPrefix("0x") || text.hasPrefix("0X") else { return nil }
        return try? Hex.decode(text)
    }

    static func fixed<let count: Int>(_ value: Any?) -> FixedBytes<count>? {
        guard let text = value as? String else { return nil }
        return try? FixedBytes<count>(hex: text)
    }

    /// A storage key or value: up to 32 bytes of hex, left-padded with zeros as go-ethereum pads them.
    static func word(_ text: String) -> Hash32? {
        let hex = digits(text)
        guard hex.count <= 64, let bytes = try? Hex.decode(String(repeating: "0", count: 64 - hex.count) + hex) else {
            return nil
        }
        return Hash32(bytes)
    }

    /// Hex digits without their optional `0x`.
    private static func digits(_ text: String) -> Substring {
        text.hasPrefix("0x") || text.hasPrefix("0X") ? text.dropFirst(2) : text[...]
    }
}
