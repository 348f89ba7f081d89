// SPDX-License-Identifier: Apache-2.0
import DevP2P
import Eth
import Foundation
import NIOConcurrencyHelpers
import RLP
import RLPxCrypto
import RLPxPeer

/// eth request load against a node serving a known chain (`rlpx-tool load --eth`): each session exchanges Status,
/// then keeps a window of requests outstanding (GetBlockHeaders of 1,024 headers, GetBlockBodies or GetReceipts
/// over the chain) until the duration ends, checking every answer byte for byte against the chain's own encoding.
public struct EthLoad: Sendable {
    /// What the sessions ask for.
    public enum Request: String, Sendable, CaseIterable {
        case headers, bodies, receipts
    }

    /// The run's shape.
    public struct Options: Sendable {
        public var request: Request
        public var sessions: Int
        public var duration: Duration
        /// Requests outstanding per session.
        public var window: Int
        /// How long past the duration a session may wait for its last answers, and for its Status.
        public var grace: Duration

        public init(request: Request, sessions: Int, duration: Duration, window: Int = 4, grace: Duration = .seconds(10)) {
            self.request = request
            self.sessions = sessions
            self.duration = duration
            self.window = window
            self.grace = grace
        }
    }

    /// What the run measured.
    public struct Report: Sendable {
        public var sessions = 0
        /// Sessions that ran to the end without failing.
        public var completed = 0
        /// Answers received and checked.
        public var requests = 0
        /// Answers that differ from the chain.
        public var mismatches = 0
        /// Payload bytes of the answers.
        public var bytes = 0
        public var seconds = 0.0
        /// Round-trip latencies in milliseconds: median and 99th percentile.
        public var p50 = 0.0
        public var p99 = 0.0
        /// Growth of this process's resident memory over the run, per session (nil where it cannot be read).
        public var memoryPerSession: Int?
        /// Why sessions failed, most common first.
        public var failures: [(reason: String, sessions: Int)] = []
        /// The first mismatch, described.
        public var firstMismatch: String?

        public var requestsPerSecond: Double { seconds > 0 ? Double(requests) / seconds : 0 }
        public var megabytesPerSecond: Double { seconds > 0 ? Double(bytes) / seconds / 1e6 : 0 }
    }

    /// One request the sessions cycle through, and the encoding of the answer's list the chain implies.
    struct Window: Sendable {
        let message: @Sendable (UInt64, UInt) -> EthMessage
        let expected: @Sendable (UInt) -> [UInt8]
    }

    let windows: [Window]
    let request: Request

    /// The requests for `request` over `blocks` (from the genesis block) with `receipts` (by block number; a block
    /// beyond them has none): header requests from every 37th block on; bodies and receipts of runs of up to 128
    /// consecutive blocks, under the 2 MiB go-ethereum serves in one answer (a block whose receipts alone pass 1 MiB
    /// is left out).
    public init(request: Request, blocks: [Block], receipts: [[Receipt]]) {
        self.request = request
        let limit = EthMessage.softResponseLimit / 2
        switch request {
        case .headers:
            windows = stride(from: 0, to: blocks.count, by: 37).map { origin in
                let headers = blocks[origin..<min(origin + EthMessage.maximumHeadersServed, blocks.count)].map(\.header)
                let encoded = RLPWriter.encode { $0.write(headers) }
                return Window(
                    message: { id, _ in
                        .getBlockHeaders(
                            requestID: id,
                            HeaderRequest(origin: .number(UInt64(origin)), amount: UInt64(EthMessage.maximumHeadersServed), skip: 0, reverse: false))
                    }, expected: { _ in encoded })
            }
        case .bodies:
            windows = Self.runs(count: blocks.count, size: { blocks[$0].body.rlpEncoded().count }, limit: limit).map { run in
                let hashes = run.map { blocks[$0].header.hash }
                let encoded = RLPWriter.encode { $0.write(run.map { blocks[$0].body }) }
                return Window(message: { id, _ in .getBlockBodies(requestID: id, hashes) }, expected: { _ in encoded })
            }
        case .receipts:
            let lists = blocks.indices.map { $0 < receipts.count ? receipts[$0] : [] }
            let size = { (index: Int) in lists[index].reduce(0) { $0 + $1.networkSize } }
            windows = Self.runs(count: blocks.count, size: size, limit: limit).map { run in
                let hashes = run.map { blocks[$0].header.hash }
                let encoded = [Receipt.Form.consensus, .network].map { form in
                    RLPWriter.encode { writer in
                        writer.writeList { all in
                            for index in run { all.writeList { list in for receipt in lists[index] { receipt.encode(to: &list, form: form) } } }
                        }
                    }
                }
                return Window(
                    message: { id, version in .getReceipts(requestID: id, firstBlockReceiptIndex: version >= 70 ? 0 : nil, hashes) },
                    expected: { version in encoded[version >= 69 ? 1 : 0] })
            }
        }
    }

    /// Consecutive block indices, at most 128 a run and `limit` bytes by `size`; a block larger than `limit` alone is
    /// skipped.
    static func runs(count: Int, size: (Int) -> Int, limit: Int) -> [[Int]] {
        var runs: [[Int]] = []
        var run: [Int] = []
        var bytes = 0
        for index in 0..<count {
            let itemSize = size(index)
            if itemSize > limit { continue }
            if run.count == 128 || bytes + itemSize > limit {
                runs.append(run)
                (run, bytes) = ([], 0)
            }
            run.append(index)
            bytes += itemSize
        }
        if !run.isEmpty { runs.append(run) }
        return runs
    }

    /// Runs `options.sessions` sessions against `url` and reports what they measured.
    public func run(_ url: EnodeURL, configuration: PeerConfiguration, options: Options) async -> Report {
        let baseline = Self.residentBytes()
        let peak = PeakMemory(baseline)
        let sampler = Task {
            while !Task.isCancelled {
                peak.sample()
                try? await Task.sleep(for: .milliseconds(50))
            }
        }
        let clock = ContinuousClock()
        let start = clock.now
        let results = await withTaskGroup(of: SessionResult.self) { group in
            for index in 0..<options.sessions {
                group.addTask {
                    var configuration = configuration
                    var random = SystemRandom()
                    configuration.session.staticKey = .random(using: &random)
                    return await session(url, configuration: configuration, options: options, first: index * 7)
                }
            }
            return await group.reduce(into: [SessionResult]()) { $0.append($1) }
        }
        let elapsed = clock.now - start
        sampler.cancel()
        peak.sample()
        var report = Report()
        report.sessions = options.sessions
        report.seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        var latencies: [Double] = []
        var failures: [String: Int] = [:]
        for result in results {
            report.requests += result.requests
            report.mismatches += result.mismatches
            report.bytes += result.bytes
            latencies += result.latencies
            report.firstMismatch = report.firstMismatch ?? result.firstMismatch
            if let failure = result.failure { failures[failure, default: 0] += 1 } else { report.completed += 1 }
        }
        latencies.sort()
        report.p50 = Self.percentile(latencies, 0.50)
        report.p99 = Self.percentile(latencies, 0.99)
        report.failures = failures.map { (reason: $0.key, sessions: $0.value) }.sorted { $0.1 > $1.1 || ($0.1 == $1.1 && $0.0 < $1.0) }
        if let baseline, let top = peak.value { report.memoryPerSession = max(0, top - baseline) / max(1, options.sessions) }
        return report
    }

    /// The value below which `fraction` of the sorted `values` lie (nearest rank); 0 for none.
    static func percentile(_ values: [Double], _ fraction: Double) -> Double {
        guard !values.isEmpty else { return 0 }
        let rank = Int((fraction * Double(values.count)).rounded(.up)) - 1
        return values[min(max(rank, 0), values.count - 1)]
    }

    struct SessionResult: Sendable {
        var requests = 0
        var mismatches = 0
        var bytes = 0
        var latencies: [Double] = []
        var failure: String?
        var firstMismatch: String?
    }

    /// One session: Status, then the window of requests until the duration ends and the last answer is in.
    private func session(_ url: EnodeURL, configuration: PeerConfiguration, options: Options, first: Int) async -> SessionResult {
        var result = SessionResult()
        let connection: PeerConnection
        do {
            connection = try await RLPxNode.dial(url, configuration: configuration)
        } catch {
            result.failure = "\(error)"
            return result
        }
        guard let eth = connection.matchedProtocols.first(where: { $0.name == "eth" }), let stream = connection.messages(for: "eth") else {
            await connection.disconnect(.requested)
            result.failure = "the peer shares no eth version"
            return result
        }
        let version = eth.version
        let clock = ContinuousClock()
        let deadline = clock.now + options.duration
        // Every wait below ends by then: the guard ends the session, which ends the message stream.
        let guardTask = Task {
            try await Task.sleep(until: deadline + options.grace, clock: clock)
            await connection.disconnect(.requested)
        }
        defer { guardTask.cancel() }
        var messages = stream.makeAsyncIterator()
        guard let status = await messages.next(), status.code == 0,
            case .status(var ours) = try? EthMessage(version: version, code: 0, payload: status.payload)
        else {
            await connection.disconnect(.requested)
            result.failure = "no Status from the peer"
            return result
        }
        ours.version = UInt32(version)
        var pending: [UInt64: (sent: ContinuousClock.Instant, window: Int)] = [:]
        var nextID: UInt64 = 1
        var cursor = first
        let responseCode = EthMessage.Kind.responseCode(for: request)
        do {
            try await connection.send(protocol: "eth", code: 0, payload: EthMessage.status(ours).encoded(version: version))
            for _ in 0..<options.window {
                try await sendNext(connection, version: version, id: &nextID, cursor: &cursor, pending: &pending)
            }
            while let message = await messages.next() {
                guard message.code == responseCode else { continue }
                let now = clock.now
                let answer = Self.split(message.payload, receipts70: request == .receipts && version >= 70)
                guard let answer, let entry = pending.removeValue(forKey: answer.id) else {
                    result.mismatches += 1
                    result.firstMismatch = result.firstMismatch ?? "an answer that does not parse or answers no request"
                    continue
                }
                result.requests += 1
                result.bytes += message.payload.count
                let latency = now - entry.sent
                result.latencies.append(Double(latency.components.seconds) * 1e3 + Double(latency.components.attoseconds) / 1e15)
                if answer.list != windows[entry.window].expected(version)[...] {
                    result.mismatches += 1
                    let which = "request \(answer.id) (\(request.rawValue) window \(entry.window))"
                    result.firstMismatch = result.firstMismatch ?? "\(which): the answer differs from the chain"
                }
                if now < deadline {
                    try await sendNext(connection, version: version, id: &nextID, cursor: &cursor, pending: &pending)
                } else if pending.isEmpty {
                    break
                }
            }
        } catch {
            result.failure = "\(error)"
        }
        if result.failure == nil, !pending.isEmpty {
            result.failure = "\(pending.count) requests unanswered" + (connection.endReason.map { " (session ended: \($0))" } ?? "")
        }
        await connection.disconnect(.requested)
        return result
    }

    private func sendNext(
        _ connection: PeerConnection, version: UInt, id: inout UInt64, cursor: inout Int,
        pending: inout [UInt64: (sent: ContinuousClock.Instant, window: Int)]
    ) async throws {
        let window = cursor % windows.count
        let message = windows[window].message(id, version)
        pending[id] = (ContinuousClock.now, window)
        id += 1
        cursor += 1
        try await connection.send(protocol: "eth", code: message.code, payload: message.encoded(version: version))
    }

    /// An answer's request ID and the encoding of its list (eth/70 receipts: past a `lastBlockIncomplete` that must
    /// be false); nil when it is not `[id, (false,) list]`.
    static func split(_ payload: [UInt8], receipts70: Bool) -> (id: UInt64, list: ArraySlice<UInt8>)? {
        var reader = RLPReader(payload)
        return try? reader.readList { list throws(RLPError) in
            let id: UInt64 = try list.read()
            if receipts70, try list.read(Bool.self) { throw RLPError(.invalidValue, "an incomplete receipt list") }
            return (id: id, list: try list.readEncoded())
        }
    }

    /// This process's resident memory in bytes (Linux), nil elsewhere.
    static func residentBytes() -> Int? {
        guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return nil }
        let fields = text.split(separator: " ")
        guard fields.count > 1, let pages = Int(fields[1]) else { return nil }
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
    }

    /// The highest resident memory sampled.
    final class PeakMemory: Sendable {
        private let peak: NIOLockedValueBox<Int?>
        init(_ baseline: Int?) { peak = NIOLockedValueBox(baseline) }
        func sample() {
            guard let now = EthLoad.residentBytes() else { return }
            peak.withLockedValue { $0 = max($0 ?? now, now) }
        }
        var value: Int? { peak.withLockedValue { $0 } }
    }
}

extension EthMessage.Kind {
    /// The code of the answer to `request`'s message.
    static func responseCode(for request: EthLoad.Request) -> UInt64 {
        switch request {
        case .headers: EthMessage.Kind.blockHeaders.rawValue
        case .bodies: EthMessage.Kind.blockBodies.rawValue
        case .receipts: EthMessage.Kind.receipts.rawValue
        }
    }
}
