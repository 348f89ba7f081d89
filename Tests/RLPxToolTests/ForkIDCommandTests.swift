// SPDX-License-Identifier: Apache-2.0
import Foundation
import RLPxTestSupport
import Testing

/// `rlpx-tool forkid` on the shared fork ID vectors: built-in chains, the same chains as genesis.json files, and
/// EIP-2124 validation verdicts with their exit status.
@Suite struct ForkIDCommandTests {
    static func forkIDVectors() throws -> [String: Any] {
        try #require(try Vectors.shared("eth/forkid.json") as? [String: Any])
    }

    /// A go-ethereum genesis.json with `forks` as its config keys (names as geth spells them in JSON).
    static func writeGenesis(chainID: Any, timestamp: Any, forks: [(String, Any)]) throws -> URL {
        var config: [String: Any] = ["chainId": chainID, "terminalTotalDifficulty": 0, "ethash": [String: Any]()]
        for (key, value) in forks { config[key] = value }
        let genesis: [String: Any] = ["config": config, "timestamp": timestamp, "gasLimit": "0x1c9c380", "alloc": [String: Any]()]
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("genesis-\(UInt64.random(in: 0...UInt64.max)).json")
        try JSONSerialization.data(withJSONObject: genesis).write(to: url)
        return url
    }

    static func lowerFirst(_ name: String) -> String {
        // HomesteadBlock -> homesteadBlock, EIP150Block -> eip150Block, DAOForkBlock -> daoForkBlock, BPO1Time -> bpo1Time.
        let prefix = name.prefix { $0.isUppercase || $0.isNumber }
        let keep = prefix.count > 1 && name.count > prefix.count ? prefix.count - 1 : prefix.count
        return name.prefix(keep).lowercased() + name.dropFirst(keep)
    }

    @Test func creationOnBuiltInChainsAndTheirGenesisFiles() async throws {
        let vectors = try Self.forkIDVectors()
        let chains = try #require(vectors["chains"] as? [String: [String: Any]])
        var genesisFiles: [String: (URL, String)] = [:]
        for (name, chain) in chains {
            let blocks = (chain["forksByBlock"] as? [[String: Any]] ?? []).map { (Self.lowerFirst($0["fork"] as? String ?? ""), $0["block"] ?? 0) }
            let times = (chain["forksByTime"] as? [[String: Any]] ?? []).map { (Self.lowerFirst($0["fork"] as? String ?? ""), $0["time"] ?? 0) }
            let timestamp = "0x" + String(chain["genesisTimestamp"] as? UInt64 ?? 0, radix: 16)
            let url = try Self.writeGenesis(chainID: chain["chainId"] ?? 1, timestamp: timestamp, forks: blocks + times)
            genesisFiles[name] = (url, "0x" + (chain["genesisHash"] as? String ?? ""))
        }
        defer { for (url, _) in genesisFiles.values { try? FileManager.default.removeItem(at: url) } }
        let cases = try #require(vectors["creation"] as? [[String: Any]])
        for (index, vector) in cases.enumerated() {
            let chain = try #require(vector["chain"] as? String)
            let head = "\(vector["head"] ?? 0)"
            let time = "\(vector["time"] ?? 0)"
            let expected = "0x" + (vector["hash"] as? String ?? "")
            var runs = [try await Tool.runDetached(["forkid", "--chain", chain, "--head", head, "--time", time, "--json"])]
            // Every fourth case again from the chain's genesis.json: same answer.
            if index % 4 == 0, let (url, hash) = genesisFiles[chain] {
                runs.append(
                    try await Tool.runDetached(["forkid", "--genesis", url.path, "--genesis-hash", hash, "--head", head, "--time", time, "--json"]))
            }
            for run in runs {
                #expect(run.status == 0, "\(run.stderr)")
                let object = try DecodeEthCommandTests.json(run.stdout)
                #expect(object["hash"] as? String == expected, "\(chain) \(head) \(time)")
                #expect(DecodeEthCommandTests.number(object["next"]) == DecodeEthCommandTests.number(vector["next"]), "\(chain) \(head) \(time)")
            }
        }
    }

    @Test func validationVerdictsAndExitStatus() async throws {
        let vectors = try Self.forkIDVectors()
        let locals = try #require(vectors["validation_locals"] as? [String: [String: Any]])
        var arguments: [String: [String]] = [:]
        var files: [URL] = []
        defer { for url in files { try? FileManager.default.removeItem(at: url) } }
        for (name, local) in locals {
            if let chain = local["chain"] as? String {
                arguments[name] = ["--chain", chain]
                continue
            }
            var forks: [(String, Any)] = []
            for (index, block) in (local["forksByBlock"] as? [Any] ?? []).enumerated() { forks.append(("fork\(index)Block", block)) }
            for (index, time) in (local["forksByTime"] as? [Any] ?? []).enumerated() { forks.append(("fork\(index)Time", time)) }
            let url = try Self.writeGenesis(chainID: 1, timestamp: local["genesisTimestamp"] ?? 0, forks: forks)
            files.append(url)
            arguments[name] = ["--genesis", url.path, "--genesis-hash", "0x" + (local["genesisHash"] as? String ?? "")]
        }
        let cases = try #require(vectors["validation"] as? [[String: Any]])
        for vector in cases {
            let local = try #require(arguments[vector["local"] as? String ?? ""])
            let remote = "0x\(vector["remoteHash"] ?? ""):\(vector["remoteNext"] ?? 0)"
            let run = try await Tool.runDetached(
                ["forkid"] + local + ["--head", "\(vector["head"] ?? 0)", "--time", "\(vector["time"] ?? 0)", "--validate", remote, "--json"])
            let expected =
                switch vector["expect"] as? String {
                case nil: "compatible"
                case "ErrRemoteStale": "remoteStale"
                default: "localIncompatibleOrStale"
                }
            let object = try DecodeEthCommandTests.json(run.stdout)
            #expect(object["verdict"] as? String == expected, "\(vector)")
            #expect(run.status == (expected == "compatible" ? 0 : 1))
        }
        #expect(cases.count == 61)
    }

    @Test func badArgumentsAreUsageErrors() async throws {
        #expect(try await Tool.runDetached(["forkid", "--chain", "ropsten"]).status == 64)
        #expect(try await Tool.runDetached(["forkid", "--chain", "mainnet", "--validate", "0x1234:0"]).status == 64)
        #expect(
            try await Tool.runDetached(["forkid", "--chain", "mainnet", "--genesis-hash", "0x" + String(repeating: "00", count: 32)]).status == 64)
        #expect(try await Tool.runDetached(["forkid", "--genesis", "/nonexistent.json", "--genesis-hash", "0x12"]).status == 64)
        let missing = try await Tool.runDetached(["forkid", "--genesis", "/nonexistent.json"])
        #expect(missing.status == 1)
        #expect(missing.stderr == "error: cannot read genesis file /nonexistent.json: no such file\n")
        #expect(try await Tool.runDetached(["forkid", "--chain", "mainnet", "--validate", "0x12345678/x"]).status == 64)
    }

    /// Without --head the head is the chain's last block fork (it printed 2^64 - 1).
    @Test func headDefaultsToTheLastBlockFork() async throws {
        let run = try await Tool.runDetached(["forkid", "--chain", "mainnet", "--time", "0"])
        #expect(run.status == 0)
        #expect(!run.stdout.contains("18446744073709551615"), "\(run.stdout)")
        let explicit = try await Tool.runDetached(["forkid", "--chain", "mainnet", "--time", "0", "--head", "15050000"])
        #expect(run.stdout == explicit.stdout)
        #expect(
            CommandLineGrammarTests.words(try await Tool.runDetached(["forkid", "--help"]).stdout).contains("default: the chain's last block fork"))
    }

    /// --validate takes the fork ID as forkid prints it (0xHASH/NEXT), as 0xHASH:NEXT, and a bare hash (next 0).
    @Test func validateTakesWhatItPrints() async throws {
        let local = ["forkid", "--chain", "mainnet", "--head", "23000000", "--time", "1700000000"]
        let own = try DecodeEthCommandTests.json(try await Tool.runDetached(local + ["--json"]).stdout)
        let hash = try #require(own["hash"] as? String)
        let next = try #require(DecodeEthCommandTests.number(own["next"]))
        let printed = try await Tool.runDetached(local + ["--validate", "\(hash):\(next)"])
        let line = try #require(printed.stdout.split(separator: "\n").last)
        #expect(line == "remote \(hash)/\(next) compatible")
        for form in ["\(hash)/\(next)", "\(hash):\(next)", hash] {
            let run = try await Tool.runDetached(local + ["--validate", form])
            #expect(run.status == 0, "\(form): \(run.stdout) \(run.stderr)")
        }
        let bare = try await Tool.runDetached(local + ["--validate", hash])
        #expect(bare.stdout.hasSuffix("remote \(hash)/0 compatible\n"), "\(bare.stdout)")
    }
}

/// `forkid --genesis FILE` computes the genesis hash from the file as go-ethereum does; py-evm built the same
/// genesis blocks from the same files (`Vectors/eth/genesis-pyevm.json`).
@Suite struct GenesisHashCommandTests {
    static func write(_ object: Any) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("genesis-\(UInt64.random(in: 0...UInt64.max)).json")
        try JSONSerialization.data(withJSONObject: object).write(to: url)
        return url
    }

    static func vectors() throws -> [[String: Any]] {
        let file = try #require(try Vectors.project("eth/genesis-pyevm.json") as? [String: Any])
        return try #require(file["genesis"] as? [[String: Any]])
    }

    @Test func genesisHashesMatchPyEVM() async throws {
        let vectors = try Self.vectors()
        #expect(vectors.count == 7)
        for vector in vectors {
            let url = try Self.write(try #require(vector["genesis"]))
            defer { try? FileManager.default.removeItem(at: url) }
            let run = try await Tool.runDetached(["forkid", "--genesis", url.path, "--head", "0", "--time", "0", "--json"])
            #expect(run.status == 0, "\(run.stderr)")
            let object = try DecodeEthCommandTests.json(run.stdout)
            #expect(object["genesisHash"] as? String == vector["hash"] as? String, "\(vector["id"] ?? "?")")
        }
    }

    @Test func aGivenGenesisHashOverridesWithANote() async throws {
        let vector = try #require(try Self.vectors().first)
        let url = try Self.write(try #require(vector["genesis"]))
        defer { try? FileManager.default.removeItem(at: url) }
        let given = "0x" + String(repeating: "ab", count: 32)
        let run = try await Tool.runDetached(["forkid", "--genesis", url.path, "--genesis-hash", given, "--json"])
        #expect(run.status == 0)
        #expect(try DecodeEthCommandTests.json(run.stdout)["genesisHash"] as? String == given)
        #expect(run.stderr.contains("differs from the hash computed") && run.stderr.contains(vector["hash"] as? String ?? "?"))
    }

    /// A genesis file that is not JSON says where: line and column.
    @Test func brokenJSONSaysWhere() async throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("genesis-\(UInt64.random(in: 0...UInt64.max)).json")
        defer { try? FileManager.default.removeItem(at: url) }
        let cases = [
            ("{\n  \"config\": {\n    \"chainId\": 1,,\n  }\n}\n", "line 3, column 18: invalid value"),
            ("{\"config\": {\"chainId\": 1}", "line 1, column 26: unexpected end of file during JSON parse"),
        ]
        for (text, position) in cases {
            try Data(text.utf8).write(to: url)
            let run = try await Tool.runDetached(["forkid", "--genesis", url.path])
            #expect(run.status == 1)
            #expect(run.stderr == "error: \(url.path): not JSON: \(position)\n")
        }
    }

    @Test func badGenesisFilesFailWithTheField() async throws {
        let cases: [(Any, String)] = [
            (["config": ["chainId": 1], "alloc": ["0x01": ["balance": "1"]]], "not a 20-byte address"),
            (["config": ["chainId": 1], "alloc": [String(repeating: "11", count: 20): ["nonce": "1"]]], "balance is missing"),
            (["config": ["chainId": 1], "alloc": [String(repeating: "11", count: 20): ["balance": "0xzz"]]], "balance is not a valid value"),
            (["config": ["chainId": 1], "gasLimit": "lots"], "gasLimit is not a valid value"),
            (["config": ["chainId": 1, "londonBlock": 0, "cancunTime": 0]], "cancunTime is active at genesis but shanghaiTime is not"),
        ]
        for (object, message) in cases {
            let url = try Self.write(object)
            defer { try? FileManager.default.removeItem(at: url) }
            let run = try await Tool.runDetached(["forkid", "--genesis", url.path])
            #expect(run.status == 1, "\(message)")
            #expect(run.stderr.hasPrefix("error: ") && run.stderr.contains(message), "\(run.stderr)")
            #expect(run.stdout.isEmpty)
        }
    }
}
