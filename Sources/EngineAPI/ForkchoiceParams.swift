// SPDX-License-Identifier: Apache-2.0
import Foundation

/// The parameters of `engine_forkchoiceUpdatedV1`…`V4`, checked as strictly as the spec asks of each version.
enum ForkchoiceParams {
    /// The versions served: V1 (Paris) to V4 (Amsterdam).
    static let versions = 1...4

    /// The fields of `ForkchoiceStateV1`.
    static let stateFields = ["headBlockHash", "safeBlockHash", "finalizedBlockHash"]

    /// The fields `PayloadAttributesV<n>` must have, by version of the method (V2 also takes V1 attributes).
    static func requiredAttributeFields(version: Int) -> Set<String> {
        let v1: Set<String> = ["timestamp", "prevRandao", "suggestedFeeRecipient"]
        switch version {
        case 1, 2: return v1
        case 3: return v1.union(["withdrawals", "parentBeaconBlockRoot"])
        default: return v1.union(["withdrawals", "parentBeaconBlockRoot", "slotNumber"])
        }
    }

    /// The fields the attributes may have: V3 on checks that the set matches exactly.
    static func allowedAttributeFields(version: Int) -> Set<String>? {
        switch version {
        case 1: nil
        case 2: requiredAttributeFields(version: 2).union(["withdrawals"])
        default: requiredAttributeFields(version: version)
        }
    }

    /// The update that `params` (`[forkchoiceState, payloadAttributes|null]`, the second optional) describe.
    static func parse(_ params: Any?, version: Int) -> Result<ForkchoiceUpdate, EngineRPCError> {
        guard let list = params as? [Any] else { return .failure(.invalidParams("params must be an array")) }
        guard (1...2).contains(list.count) else {
            return .failure(.invalidParams("expected [forkchoiceState, payloadAttributes], found \(list.count) params"))
        }
        let state: ForkchoiceState
        switch parseState(list[0], strict: version >= 3) {
        case .success(let parsed): state = parsed
        case .failure(let error): return .failure(error)
        }
        let attributes: Any? = list.count == 2 ? list[1] : nil
        if JSONValue.isAbsent(attributes) {
            return .success(ForkchoiceUpdate(version: version, state: state, hasPayloadAttributes: false))
        }
        guard let object = attributes as? [String: Any] else {
            return .failure(.invalidParams("payloadAttributes must be an object or null"))
        }
        let present = Set(object.filter { !JSONValue.isAbsent($0.value) }.keys)
        let missing = requiredAttributeFields(version: version).subtracting(present)
        guard missing.isEmpty else {
            return .failure(.invalidParams("payloadAttributes lacks \(missing.sorted().joined(separator: ", "))"))
        }
        if let allowed = allowedAttributeFields(version: version) {
            let extra = present.subtracting(allowed)
            guard extra.isEmpty else {
                return .failure(
                    .invalidParams("payloadAttributes V\(version) has no \(extra.sorted().joined(separator: ", "))"))
            }
        }
        return .success(ForkchoiceUpdate(version: version, state: state, hasPayloadAttributes: true))
    }

    /// `ForkchoiceStateV1` from its JSON object; `strict` refuses fields it does not define.
    static func parseState(_ value: Any, strict: Bool) -> Result<ForkchoiceState, EngineRPCError> {
        guard let object = value as? [String: Any] else {
            return .failure(.invalidParams("forkchoiceState must be an object"))
        }
        if strict {
            let extra = Set(object.filter { !JSONValue.isAbsent($0.value) }.keys).subtracting(stateFields)
            guard extra.isEmpty else {
                return .failure(.invalidParams("forkchoiceState has no \(extra.sorted().joined(separator: ", "))"))
            }
        }
        var hashes: [BlockHash] = []
        for field in stateFields {
            guard !JSONValue.isAbsent(object[field]) else {
                return .failure(.invalidParams("forkchoiceState lacks \(field)"))
            }
            guard let text = object[field] as? String, let hash = BlockHash(hex: text) else {
                return .failure(.invalidParams("\(field) is not 0x and 64 hex digits"))
            }
            hashes.append(hash)
        }
        return .success(ForkchoiceState(head: hashes[0], safe: hashes[1], finalized: hashes[2]))
    }
}
