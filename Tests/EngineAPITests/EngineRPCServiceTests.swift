// SPDX-License-Identifier: Apache-2.0
import EngineAPI
import Foundation
import RLPxTestSupport
import Testing

/// The JSON-RPC side without sockets.
@Suite struct EngineRPCServiceTests {
    /// A service whose node knows only `known`, and the updates it was handed.
    static func service(knowing known: Set<String> = [Sample.head]) -> (EngineRPCService, UpdateLog) {
        let seen = UpdateLog()
        let service = EngineRPCService { update in
            seen.append(update)
            return known.contains(update.state.head.hex) ? .valid(head: update.state.head) : .syncing
        }
        return (service, seen)
    }

    @Test func headFcuVectorIsValidWhenTheHeadIsKnown() async throws {
        let (service, seen) = Self.service()
        let body = Array(try Vectors.sharedData("ethtest/headfcu.json"))
        let reply = jsonObject(await service.respond(to: body))
        #expect(reply?["id"] as? String == "fcu600")
        #expect(reply?["jsonrpc"] as? String == "2.0")
        let result = try #require(reply?["result"] as? [String: Any])
        #expect(result["payloadId"] is NSNull)
        let status = try #require(result["payloadStatus"] as? [String: Any])
        #expect(status["status"] as? String == "VALID")
        #expect(status["latestValidHash"] as? String == Sample.head)
        #expect(status["validationError"] is NSNull)
        let update = try #require(seen.all.first)
        #expect(update.version == 3)
        #expect(
            update.state.head.hex == Sample.head && update.state.safe.hex == Sample.head
                && update.state.finalized.hex == Sample.head)
        #expect(!update.hasPayloadAttributes)
    }

    @Test func unknownHeadIsSyncing() async throws {
        let (service, _) = Self.service(knowing: [])
        let reply = await service.respond(to: Sample.fcu().bytes)
        #expect(payloadStatus(reply) == "SYNCING")
        let status = (jsonObject(reply)?["result"] as? [String: Any])?["payloadStatus"] as? [String: Any]
        #expect(status?["latestValidHash"] is NSNull)
    }

    @Test(arguments: 1...4)
    func servesEveryVersion(version: Int) async {
        let (service, seen) = Self.service()
        #expect(payloadStatus(await service.respond(to: Sample.fcu(version: version).bytes)) == "VALID")
        #expect(seen.all.map(\.version) == [version])
    }

    @Test func listsCapabilitiesWithoutItself() async {
        let (service, _) = Self.service()
        let request =
            #"{"jsonrpc":"2.0","id":7,"method":"engine_exchangeCapabilities","params":[["engine_newPayloadV4"]]}"#
        let reply = jsonObject(await service.respond(to: request.bytes))
        #expect(reply?["id"] as? Int == 7)
        #expect(
            reply?["result"] as? [String] == [
                "engine_forkchoiceUpdatedV1", "engine_forkchoiceUpdatedV2", "engine_forkchoiceUpdatedV3",
                "engine_forkchoiceUpdatedV4",
            ])
    }

    @Test(arguments: [
        "engine_newPayloadV4", "engine_forkchoiceUpdatedV5", "engine_forkchoiceUpdatedV03", "eth_chainId", "",
    ])
    func unknownMethodIsNotFound(method: String) async {
        let (service, seen) = Self.service()
        let reply = await service.respond(to: #"{"jsonrpc":"2.0","id":"x","method":"\#(method)","params":[]}"#.bytes)
        #expect(rpcErrorCode(reply) == -32601)
        #expect((jsonObject(reply)?["error"] as? [String: Any])?["message"] as? String == "Method not found")
        #expect(jsonObject(reply)?["id"] as? String == "x")
        #expect(seen.all.isEmpty)
    }

    @Test(arguments: ["", "{", "not json", #"{"jsonrpc":"2.0","id":1,"method":"engine_exchangeCapabilities""#, "\u{0}"])
    func garbageIsAParseError(body: String) async {
        let (service, _) = Self.service()
        let reply = await service.respond(to: body.bytes)
        #expect(rpcErrorCode(reply) == -32700)
        #expect(jsonObject(reply)?["id"] is NSNull)
    }

    @Test(arguments: [
        "1", #""text""#, "[]", #"{"id":1,"method":"engine_exchangeCapabilities","params":[[]]}"#,
        #"{"jsonrpc":"1.0","id":1,"method":"engine_exchangeCapabilities","params":[[]]}"#,
        #"{"jsonrpc":"2.0","id":1,"method":5}"#, #"{"jsonrpc":"2.0","id":true,"method":"engine_exchangeCapabilities"}"#,
    ])
    func nonRequestsAreInvalid(body: String) async {
        let (service, _) = Self.service()
        #expect(rpcErrorCode(await service.respond(to: body.bytes)) == -32600)
    }

    @Test(arguments: [
        // Not an array, too few or too many params.
        Sample.call("engine_forkchoiceUpdatedV3", params: "{}"),
        Sample.call("engine_forkchoiceUpdatedV3", params: "[]"),
        Sample.call("engine_forkchoiceUpdatedV3", params: nil), Sample.fcu(attributes: "null,null"),
        // A hash that is short, unprefixed or not hex; a missing or null field.
        Sample.fcu(head: "0x1234"), Sample.fcu(head: String(Sample.head.dropFirst(2))),
        Sample.fcu(head: "0x" + String(repeating: "zz", count: 32)),
        Sample.call("engine_forkchoiceUpdatedV3", params: #"[{"headBlockHash":"\#(Sample.head)"},null]"#),
        Sample.call("engine_forkchoiceUpdatedV3", params: "[\(Sample.state(safe: "null"))]"),
        // V3 takes no extra fields; attributes must be an object with the version's fields.
        Sample.call("engine_forkchoiceUpdatedV3", params: "[\(Sample.state(extra: #","extra":"0x""#))]"),
        Sample.fcu(attributes: "5"), Sample.fcu(attributes: #"{"timestamp":"0x1"}"#),
        Sample.fcu(
            attributes: #"{"timestamp":"0x1","prevRandao":"0x00","suggestedFeeRecipient":"0x00","withdrawals":[]}"#),
        Sample.fcu(
            version: 2,
            attributes: #"{"timestamp":"0x1","prevRandao":"0x00","suggestedFeeRecipient":"0x00","slotNumber":"0x1"}"#),
        Sample.call("engine_exchangeCapabilities", params: #"["engine_forkchoiceUpdatedV3"]"#),
    ])
    func badParamsAreInvalidParams(body: String) async {
        let (service, seen) = Self.service()
        #expect(rpcErrorCode(await service.respond(to: body.bytes)) == -32602)
        #expect(seen.all.isEmpty)
    }

    @Test func payloadAttributesOnAValidHeadAreRefusedAfterTheUpdate() async throws {
        let (service, seen) = Self.service()
        let reply = await service.respond(to: Sample.fcu(attributes: Sample.attributesV3).bytes)
        #expect(rpcErrorCode(reply) == -38003)
        // The fork choice was applied all the same, as the spec says.
        #expect(seen.all.map(\.hasPayloadAttributes) == [true])
    }

    @Test func payloadAttributesOnAnUnknownHeadAreIgnored() async {
        let (service, _) = Self.service(knowing: [])
        #expect(
            payloadStatus(await service.respond(to: Sample.fcu(attributes: Sample.attributesV3).bytes)) == "SYNCING")
    }

    @Test func handlerErrorsBecomeErrorObjects() async throws {
        struct DiskFull: Error, CustomStringConvertible { var description: String { "disk full" } }
        let refusing = EngineRPCService { _ in throw EngineRPCError.invalidForkchoiceState("safe block not on chain") }
        let reply = jsonObject(await refusing.respond(to: Sample.fcu().bytes))
        let error = try #require(reply?["error"] as? [String: Any])
        #expect(error["code"] as? Int == -38002)
        #expect(error["message"] as? String == "Invalid forkchoice state: safe block not on chain")
        let failing = EngineRPCService { _ in throw DiskFull() }
        let failed = try #require(jsonObject(await failing.respond(to: Sample.fcu().bytes))?["error"] as? [String: Any])
        #expect(failed["code"] as? Int == -32000)
        #expect((failed["data"] as? [String: Any])?["err"] as? String == "disk full")
    }

    @Test func invalidStatusCarriesItsDetails() async throws {
        let service = EngineRPCService { _ in .invalid(latestValidHash: nil, validationError: "bad state root") }
        let reply = jsonObject(await service.respond(to: Sample.fcu().bytes))
        let status = try #require((reply?["result"] as? [String: Any])?["payloadStatus"] as? [String: Any])
        #expect(status["status"] as? String == "INVALID")
        #expect(status["latestValidHash"] is NSNull)
        #expect(status["validationError"] as? String == "bad state root")
    }

    @Test func batchesAnswerEachCallInOrderAndSkipNotifications() async throws {
        let (service, seen) = Self.service()
        let notification = Sample.fcu(version: 1, head: Sample.other, id: nil)
        let calls = [
            Sample.fcu(id: "1"), notification, Sample.call("nope", params: nil, id: "2"),
            Sample.fcu(version: 2, head: Sample.other, id: "3"),
        ]
        let batch = "[" + calls.joined(separator: ",") + "]"
        let reply = try #require(await service.respond(to: batch.bytes))
        let responses = try #require(try JSONSerialization.jsonObject(with: Data(reply)) as? [[String: Any]])
        #expect(responses.map { $0["id"] as? Int } == [1, 2, 3])
        #expect(payloadStatus(JSONResponse.bytes(responses[0])) == "VALID")
        #expect(rpcErrorCode(JSONResponse.bytes(responses[1])) == -32601)
        #expect(payloadStatus(JSONResponse.bytes(responses[2])) == "SYNCING")
        #expect(seen.all.map(\.version) == [3, 1, 2])
        // Notifications alone get no answer.
        #expect(await service.respond(to: notification.bytes) == nil)
        #expect(await service.respond(to: "[\(notification)]".bytes) == nil)
    }

    @Test func echoesIdsAsSent() async {
        let (service, _) = Self.service()
        for (id, check) in [
            ("12345678901", { (v: Any?) in v as? Int == 12_345_678_901 }), (#""a-b""#, { $0 as? String == "a-b" }),
            ("null", { $0 is NSNull }),
        ] {
            let reply = jsonObject(await service.respond(to: Sample.fcu(id: id).bytes))
            #expect(check(reply?["id"]))
        }
    }
}

enum JSONResponse {
    static func bytes(_ object: [String: Any]) -> [UInt8]? {
        (try? JSONSerialization.data(withJSONObject: object)).map { Array($0) }
    }
}

/// Requests and hashes the tests send.
enum Sample {
    /// The head block of go-ethereum's eth-test chain (headfcu.json).
    static let head = "0x44e3809c9a3cda717f00aea3a9da336d149612c8d5657fbc0028176ef8d94d2a"
    static let other = "0x" + String(repeating: "ab", count: 32)
    static let attributesV3 =
        #"{"timestamp":"0x1","prevRandao":"0x00","suggestedFeeRecipient":"0x00","withdrawals":[],"parentBeaconBlockRoot":"0x00"}"#

    /// A request for `method` with `params` (JSON text; nil leaves them out) and `id` (JSON text; nil makes a
    /// notification).
    static func call(_ method: String, params: String?, id: String? = "1") -> String {
        let idPart = id.map { #","id":\#($0)"# } ?? ""
        let paramsPart = params.map { #","params":\#($0)"# } ?? ""
        return #"{"jsonrpc":"2.0"\#(idPart),"method":"\#(method)"\#(paramsPart)}"#
    }

    /// A `ForkchoiceStateV1` object naming `head` everywhere unless told otherwise; `extra` is appended inside.
    static func state(head: String = head, safe: String? = nil, extra: String = "") -> String {
        let safe = safe ?? #""\#(head)""#
        return #"{"headBlockHash":"\#(head)","safeBlockHash":\#(safe),"finalizedBlockHash":"\#(head)"\#(extra)}"#
    }

    /// `engine_forkchoiceUpdatedV<version>` naming `head`, with `attributes` (JSON text).
    static func fcu(version: Int = 3, head: String = head, attributes: String = "null", id: String? = "1") -> String {
        call("engine_forkchoiceUpdatedV\(version)", params: "[\(state(head: head)),\(attributes)]", id: id)
    }
}
