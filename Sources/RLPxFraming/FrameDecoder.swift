// SPDX-License-Identifier: Apache-2.0
import RLPxHandshake

/// Reads frames from a byte stream as it arrives, in any split.
///
/// It says how many more bytes it needs, checks the header MAC before it trusts the size, rejects a size above
/// ``maximumFrameSize`` before allocating for it, and after any failure refuses all further input.
public struct FrameDecoder: Sendable {
    private enum State: Sendable {
        case awaitingHeader
        /// The header is read but not yet authenticated, and the whole frame is buffered after it.
        case wholeFrame(FrameHeader)
        case awaitingBody(FrameHeader)
        case failed(FramingError)
    }

    private var opener: FrameOpener
    private var buffer: [UInt8] = []
    private var consumed = 0
    private var state = State.awaitingHeader
    /// The largest frame size accepted (at most ``Frame/maximumSize``).
    public let maximumFrameSize: Int

    /// A decoder for the ingress direction of `secrets`.
    public init(secrets: SessionSecrets, maximumFrameSize: Int = Frame.maximumSize) {
        self.init(opener: FrameOpener(secrets: secrets), maximumFrameSize: maximumFrameSize)
    }

    /// A decoder around an opener.
    /// A limit outside 0 ... ``Frame/maximumSize`` is clamped into it.
    public init(opener: FrameOpener, maximumFrameSize: Int = Frame.maximumSize) {
        self.opener = opener
        self.maximumFrameSize = min(max(maximumFrameSize, 0), Frame.maximumSize)
    }

    /// Bytes still needed before the next step (header or body) can be taken.
    public var bytesNeeded: Int {
        let available = buffer.count - consumed
        switch state {
        case .awaitingHeader: return max(0, 32 - available)
        case .wholeFrame: return 0
        case .awaitingBody(let header): return max(0, Frame.paddedLength(header.size) + 16 - available)
        case .failed: return 0
        }
    }

    /// Adds received bytes.
    public mutating func append(_ bytes: some Collection<UInt8>) {
        if case .failed = state { return }
        if consumed > 0 && consumed == buffer.count {
            buffer.removeAll(keepingCapacity: true)
            consumed = 0
        }
        buffer.append(contentsOf: bytes)
    }

    /// The next complete frame, or nil when more bytes are needed.
    /// - Throws: ``FramingError``; after one, every call throws ``FramingError/Code/streamFailed``.
    public mutating func nextFrame() throws(FramingError) -> ReceivedFrame? {
        try nextFrame { header, data in ReceivedFrame(header: header, data: Array(data)) }
    }

    /// The next complete frame lent to `use` without a copy: its data is decrypted in the decoder's own buffer
    /// and valid only during the call. Returns what `use` returns, or nil when more bytes are needed.
    /// - Throws: ``FramingError``; after one, every call throws ``FramingError/Code/streamFailed``.
    public mutating func nextFrame<Result>(_ use: (FrameHeader, UnsafeRawBufferPointer) -> Result) throws(FramingError) -> Result? {
        guard let (header, data, end) = try openNextFrame() else { return nil }
        let result = buffer.withUnsafeBytes { use(header, UnsafeRawBufferPointer(rebasing: $0[data])) }
        consumed = end
        compact()
        return result
    }

    /// Authenticates and decrypts the next complete frame where it lies in the buffer (not generic, so it runs
    /// specialised whatever `nextFrame(_:)`'s caller returns): its header, the range of its data, and where the
    /// frame ends; nil when more bytes are needed.
    private mutating func openNextFrame() throws(FramingError) -> (FrameHeader, Range<Int>, Int)? {
        do throws(FramingError) {
            while true {
                switch state {
                case .failed:
                    throw .streamFailed
                case .awaitingHeader:
                    guard try readHeader() else { return nil }
                case .wholeFrame(let header):
                    // Both MACs at once, the header's checked first.
                    let start = consumed
                    let length = Frame.paddedLength(header.size) + 16
                    try openBody(at: start + 32, length: length, header: header, headerTagAt: start + 16)
                    state = .awaitingHeader
                    return (header, (start + 32)..<(start + 32 + header.size), start + 32 + length)
                case .awaitingBody(let header):
                    let length = Frame.paddedLength(header.size) + 16
                    guard buffer.count - consumed >= length else { return nil }
                    let start = consumed
                    try openBody(at: start, length: length, header: header, headerTagAt: nil)
                    state = .awaitingHeader
                    return (header, start..<(start + header.size), start + length)
                }
            }
        } catch {
            keep(error)
            throw error
        }
    }

    /// Reads the next header once its 32 bytes are here (false before): when the whole frame follows, only
    /// decrypts it (``State/wholeFrame(_:)``: its MAC is checked with the body's); otherwise checks its MAC and the
    /// size before waiting for the body.
    private mutating func readHeader() throws(FramingError) -> Bool {
        guard buffer.count - consumed >= 32 else { return false }
        let start = consumed
        let header = buffer.withUnsafeBytes { opener.readHeaderUnchecked(UnsafeRawBufferPointer(rebasing: $0[start..<(start + 16)])) }
        if header.size <= maximumFrameSize && buffer.count - start - 32 >= Frame.paddedLength(header.size) + 16 {
            state = .wholeFrame(header)
            return true
        }
        let authentic = buffer.withUnsafeBytes { opener.checkHeaderTag(UnsafeRawBufferPointer(rebasing: $0[(start + 16)..<(start + 32)])) }
        guard authentic else { throw .headerMACMismatch }
        guard header.size <= maximumFrameSize else {
            throw FramingError(.frameTooLarge, "frame of \(header.size) bytes exceeds \(maximumFrameSize)")
        }
        consumed += 32
        state = .awaitingBody(header)
        return true
    }

    /// Keeps a failure as the stream's end (nothing more is read), unless the stream had failed already.
    private mutating func keep(_ error: FramingError) {
        if case .failed = state { return }
        fail(error)
    }

    private mutating func fail(_ error: FramingError) {
        state = .failed(error)
        buffer = []
        consumed = 0
    }

    // MARK: Two decoders in lockstep

    /// Whether the next frame is wholly buffered, its header read and not yet authenticated: then
    /// ``nextFrames(_:_:_:)`` can open it beside another decoder's. False when more bytes are needed or the next
    /// frame is not whole yet (its header MAC is then checked already); ``nextFrame(_:)`` reads those.
    /// - Throws: ``FramingError``, as ``nextFrame(_:)`` does.
    package mutating func nextFrameIsWhole() throws(FramingError) -> Bool {
        do throws(FramingError) {
            switch state {
            case .wholeFrame: return true
            case .awaitingHeader:
                guard try readHeader(), case .wholeFrame = state else { return false }
                return true
            case .awaitingBody: return false
            case .failed: throw .streamFailed
            }
        } catch {
            keep(error)
            throw error
        }
    }

    /// Opens the next frame of each decoder, both whole (``nextFrameIsWhole()``), with their MACs computed in
    /// lockstep, so the two cost about what one does: the two directions of a connection being replayed. Lends
    /// each frame to `use` (`first` says which decoder's), as ``nextFrame(_:)`` does, and returns each decoder's
    /// failure; a decoder that failed refuses all further input, the other goes on. A decoder without a whole frame
    /// next is left as it is (the other's is then opened alone).
    package static func nextFrames(
        _ a: inout FrameDecoder, _ b: inout FrameDecoder, _ use: (_ first: Bool, FrameHeader, UnsafeRawBufferPointer) -> Void
    ) -> (FramingError?, FramingError?) {
        guard case .wholeFrame(let headerA) = a.state, case .wholeFrame(let headerB) = b.state else {
            // Not both whole (the caller skipped nextFrameIsWhole()): a whole one is opened alone.
            return (a.openWholeFrameAlone(first: true, use), b.openWholeFrameAlone(first: false, use))
        }
        let startA = a.consumed
        let startB = b.consumed
        let lengthA = Frame.paddedLength(headerA.size) + 16
        let lengthB = Frame.paddedLength(headerB.size) + 16
        let (openedA, openedB) = a.buffer.withUnsafeMutableBytes { bufferA in
            b.buffer.withUnsafeMutableBytes { bufferB in
                FrameOpener.openBodies(
                    &a.opener, wholeFrame(bufferA, at: startA, length: lengthA, header: headerA),
                    &b.opener, wholeFrame(bufferB, at: startB, length: lengthB, header: headerB))
            }
        }
        return (a.finishWholeFrame(openedA, header: headerA, first: true, use), b.finishWholeFrame(openedB, header: headerB, first: false, use))
    }

    private static func wholeFrame(
        _ buffer: UnsafeMutableRawBufferPointer, at start: Int, length: Int, header: FrameHeader
    ) -> FrameOpener.WholeFrame {
        FrameOpener.WholeFrame(
            wire: UnsafeMutableRawBufferPointer(rebasing: buffer[(start + 32)..<min(buffer.count, start + 32 + length)]), header: header,
            headerTag: UnsafeRawBufferPointer(rebasing: buffer[(start + 16)..<(start + 32)]))
    }

    /// Opens the next frame alone if it is whole, as ``nextFrame(_:)`` would.
    private mutating func openWholeFrameAlone(first: Bool, _ use: (Bool, FrameHeader, UnsafeRawBufferPointer) -> Void) -> FramingError? {
        guard case .wholeFrame = state else { return nil }
        do throws(FramingError) {
            _ = try nextFrame { header, data in use(first, header, data) }
            return nil
        } catch {
            return error
        }
    }

    /// Lends a frame opened in lockstep to `use` and moves past it, or keeps its failure.
    private mutating func finishWholeFrame(
        _ opened: Result<UnsafeMutableRawBufferPointer, FramingError>, header: FrameHeader, first: Bool,
        _ use: (Bool, FrameHeader, UnsafeRawBufferPointer) -> Void
    ) -> FramingError? {
        switch opened {
        case .failure(let error):
            fail(error)
            return error
        case .success(let data):
            use(first, header, UnsafeRawBufferPointer(data))
            consumed += 32 + Frame.paddedLength(header.size) + 16
            state = .awaitingHeader
            compact()
            return nil
        }
    }

    /// Authenticates and decrypts in place the `length` bytes of padded body and frame MAC at `start`; with
    /// `headerTagAt`, also checks the header MAC there (computed with the body's, checked first).
    private mutating func openBody(at start: Int, length: Int, header: FrameHeader, headerTagAt tag: Int?) throws(FramingError) {
        var failure: FramingError?
        buffer.withUnsafeMutableBytes { bytes in
            let wire = UnsafeMutableRawBufferPointer(rebasing: bytes[start..<(start + length)])
            do throws(FramingError) {
                _ = try opener.openBody(
                    inPlace: wire, header: header, checkingHeaderTag: tag.map { UnsafeRawBufferPointer(rebasing: bytes[$0..<($0 + 16)]) })
            } catch {
                failure = error
            }
        }
        if let failure { throw failure }
    }

    /// Drops consumed bytes once they are most of the buffer, so it never grows without bound.
    private mutating func compact() {
        if consumed > 0 && consumed * 2 >= buffer.count {
            buffer.removeFirst(consumed)
            consumed = 0
        }
    }
}
