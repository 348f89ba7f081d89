// SPDX-License-Identifier: Apache-2.0
import Discv5
import Dispatch
import RLPxCapture
import RLPxEvents
import Synchronization

/// A capture's connections replayed on several workers at once. The reader thread dissects packets and routes each
/// connection's segments, in capture order, to one worker (by the connection's endpoints); each worker owns a
/// ``CaptureReplay`` and a ``RuleEngine`` and touches nothing else. Connections keep the numbers the whole capture
/// gives them (the order of their SYNs). Memory stays bounded: a worker holds at most a few batches of segments
/// waiting, and the reader waits for it.
final class ParallelReplay {
    /// Payload bytes handed over at once: fewer hand-overs, same order.
    static let batchBytes = 1 << 18
    /// Batches one worker may have waiting before the reader waits.
    static let batchesInFlight = 4

    private let workers: [Worker]
    private let output: Output
    private let group = DispatchGroup()
    private var batches: [[CaptureReplay.NumberedSegment]]
    private var batchSizes: [Int]
    private var ids: [ConnectionKey: Int] = [:]
    private var lastTime = 0.0
    /// The capture's first packet time (``start(at:)``).
    private var startTime = 0.0
    /// The connections replayed (the others are numbered, then dropped).
    private let selection: ConnectionSelection
    /// Discovery datagrams are read and checked on the reader thread (they are few and small).
    private var discovery: DiscoveryReplay
    private var discoveryEngine: DiscoveryEngine
    private var discoveryFound = Pending()

    /// What the workers hand out, one call at a time, on a thread of its own: formatting a report (a transcript
    /// line per message) runs beside the replay instead of in the workers' time.
    final class Output: @unchecked Sendable {
        // The callbacks are only called on `queue`, a serial queue, so never at once.
        private let queue = DispatchQueue(label: "rlpx.replay.output")
        /// Deliveries handed over and not yet written: the workers wait past this, so memory stays bounded.
        private let room = DispatchSemaphore(value: 8)
        let transcript: TranscriptOutput?
        private let findings: (Finding) -> Void
        private let events: ((ConnectionEvent) -> Void)?

        init(events: ((ConnectionEvent) -> Void)?, transcript: TranscriptOutput?, findings: @escaping (Finding) -> Void) {
            self.events = events
            self.transcript = transcript
            self.findings = findings
        }

        var wantsEvents: Bool { events != nil }

        func deliver(_ pending: inout Pending) {
            guard !pending.isEmpty else { return }
            let batch = pending
            pending = Pending()
            room.wait()
            queue.async { [self] in
                for event in batch.events { events?(event) }
                switch transcript {
                case .entries(let take)?: for entry in batch.transcript { take(entry) }
                case .rendered(_, let take)?: if !batch.renderedTranscript.isEmpty { take(batch.renderedTranscript) }
                case nil: break
                }
                for finding in batch.findings { findings(finding) }
                room.signal()
            }
        }

        /// Waits until everything handed over is written.
        func flush() {
            queue.sync {}
        }
    }

    /// What one worker produced since it last delivered.
    struct Pending {
        var events: [ConnectionEvent] = []
        var transcript: [TranscriptEntry] = []
        /// Transcript lines rendered by the worker (``TranscriptOutput/rendered(_:_:)``).
        var renderedTranscript: [UInt8] = []
        var findings: [Finding] = []
        var isEmpty: Bool { events.isEmpty && transcript.isEmpty && renderedTranscript.isEmpty && findings.isEmpty }
    }

    /// One worker: its queue, replay and engine are used only on its queue.
    final class Worker: @unchecked Sendable {
        /// The rules, and what the replay's events produced since the last delivery (shared with the replay's
        /// callback). Used only on the worker's queue, so without run-time exclusivity checks (one per event).
        final class Collected {
            @exclusivity(unchecked) var pending = Pending()
            @exclusivity(unchecked) var engine: RuleEngine
            /// Messages read since the last batch ended.
            @exclusivity(unchecked) var messages = 0
            /// The capture's first packet time, which text transcript lines count from.
            @exclusivity(unchecked) var start = 0.0

            init(engine: RuleEngine) { self.engine = engine }
        }

        let queue: DispatchQueue
        let room = DispatchSemaphore(value: ParallelReplay.batchesInFlight)
        /// Messages this worker has read, as of its last finished batch (read by the reader thread for progress).
        let messagesRead = Atomic<Int>(0)
        private var replay: CaptureReplay?
        private let collected: Collected
        private let output: Output

        init(
            index: Int, keyLog: [[UInt8]: KeyLogEntry], protocols: [ProtocolSpec], rules: [any ConnectionRule.Type],
            configuration: RuleConfiguration, output: Output
        ) {
            queue = DispatchQueue(label: "rlpx.replay.\(index)")
            self.output = output
            let collected = Collected(engine: RuleEngine(rules: rules, configuration: configuration))
            self.collected = collected
            let keepEvents = output.wantsEvents
            let transcript = output.transcript
            replay = CaptureReplay(keyLog: keyLog, protocols: protocols) { event in
                if keepEvents { collected.pending.events.append(event) }
                if case .message(let side, let message) = event.kind {
                    switch transcript {
                    case .entries?:
                        collected.pending.transcript.append(
                            TranscriptEntry(connection: event.connection, time: event.time, side: side, message: message))
                    case .rendered(let renderer, _)?:
                        renderer.append(
                            connection: event.connection, time: event.time, side: side, message: message, start: collected.start,
                            to: &collected.pending.renderedTranscript)
                    case nil: break
                    }
                    collected.messages += 1
                }
                let found = collected.engine.consume(event)
                if !found.isEmpty { collected.pending.findings += found }
            }
        }

        func add(_ batch: [CaptureReplay.NumberedSegment], start: Double) {
            collected.start = start
            replay?.add(batch: batch)
            output.deliver(&collected.pending)
            countMessages()
        }

        func finish(captureEnd: Double) -> [ConnectionSummary] {
            let summaries = replay?.finish(captureEnd: captureEnd) ?? []
            output.deliver(&collected.pending)
            countMessages()
            replay = nil
            return summaries
        }

        private func countMessages() {
            messagesRead.add(collected.messages, ordering: .relaxed)
            collected.messages = 0
        }
    }

    init(
        workers count: Int, keyLog: [[UInt8]: KeyLogEntry], protocols: [ProtocolSpec], rules: [any ConnectionRule.Type],
        configuration: RuleConfiguration, output: Output, selection: ConnectionSelection = ConnectionSelection(),
        discv5KeyLog: [Discv5KeyLogEntry] = []
    ) {
        self.output = output
        self.selection = selection
        discovery = DiscoveryReplay(keyLog: discv5KeyLog)
        discoveryEngine = DiscoveryEngine(rules: rules, configuration: configuration)
        workers = (0..<max(1, count)).map {
            Worker(index: $0, keyLog: keyLog, protocols: protocols, rules: rules, configuration: configuration, output: output)
        }
        batches = Array(repeating: [], count: workers.count)
        batchSizes = Array(repeating: 0, count: workers.count)
    }

    /// Sets the capture's first packet time, which text transcript lines count from (before the first segment).
    func start(at time: Double) {
        startTime = time
    }

    /// The worker the last segment went to, and its endpoints (when every connection is replayed): most segments
    /// follow one of the same connection, and comparing endpoints costs less than a key and a hash per segment.
    private var lastRouted: (a: Endpoint, b: Endpoint, worker: Int)?

    /// Routes one segment, in capture order.
    func add(_ segment: TCPSegment) {
        lastTime = max(lastTime, segment.time)
        if let last = lastRouted, !segment.syn,
            (segment.source == last.a && segment.destination == last.b) || (segment.source == last.b && segment.destination == last.a)
        {
            return append(segment, id: nil, to: last.worker)
        }
        let key = ConnectionKey(segment)
        var id: Int?
        if segment.syn && !segment.ack && ids[key] == nil {
            id = ids.count + 1
            ids[key] = id
        }
        if !selection.isAll && !selection.selects(number: id ?? ids[key], endpoints: key.endpoints) { return }
        var hasher = Hasher()
        hasher.combine(key)
        let index = Int(UInt(bitPattern: hasher.finalize()) % UInt(workers.count))
        if selection.isAll { lastRouted = (segment.source, segment.destination, index) }
        append(segment, id: id, to: index)
    }

    /// Adds a segment to worker `index`'s batch, handing the batch over once it is large enough.
    private func append(_ segment: TCPSegment, id: Int?, to index: Int) {
        batches[index].append(CaptureReplay.NumberedSegment(segment, connectionID: id))
        batchSizes[index] += segment.payload.count + 64
        if batchSizes[index] >= Self.batchBytes { flush(index) }
    }

    /// Reads one UDP datagram, in capture order, as discovery traffic (only when every connection is replayed).
    func add(_ datagram: UDPDatagram) {
        guard selection.isAll, !discoveryEngine.isEmpty else { return }
        lastTime = max(lastTime, datagram.time)
        guard let event = discovery.read(datagram) else { return }
        discoveryFound.findings += discoveryEngine.consume(event)
        if discoveryFound.findings.count >= 64 { output.deliver(&discoveryFound) }
    }

    private func flush(_ index: Int) {
        let batch = batches[index]
        guard !batch.isEmpty else { return }
        batches[index] = []
        batches[index].reserveCapacity(batch.count)
        batchSizes[index] = 0
        let worker = workers[index]
        let start = startTime
        worker.room.wait()
        group.enter()
        worker.queue.async { [group] in
            worker.add(batch, start: start)
            worker.room.signal()
            group.leave()
        }
    }

    /// How far the replay has got: messages read by the workers (as of their last finished batches) and
    /// connections opened so far.
    func progress(bytes: Int) -> ReplayProgress {
        ReplayProgress(
            bytes: bytes, messages: workers.reduce(0) { $0 + $1.messagesRead.load(ordering: .relaxed) }, connections: ids.count)
    }

    /// Waits for every worker and returns every connection's summary, by connection number.
    func finish() -> [ConnectionSummary] {
        for index in workers.indices { flush(index) }
        group.wait()
        let end = lastTime
        let summaries = workers.flatMap { worker in worker.queue.sync { worker.finish(captureEnd: end) } }
        if !discoveryEngine.isEmpty {
            discoveryFound.findings += discoveryEngine.finish(at: end)
            output.deliver(&discoveryFound)
        }
        output.flush()
        let numbered = summaries.filter { $0.id > 0 }.sorted { $0.id < $1.id }
        return numbered + summaries.filter { $0.id == 0 }
    }
}
