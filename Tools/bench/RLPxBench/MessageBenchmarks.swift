// SPDX-License-Identifier: Apache-2.0
import Keccak
import RLP
import RLPxCrypto
import RLPxFraming
import RLPxHandshake

/// A whole message path in memory, per message: RLP-encode the payload, snappy-compress it, seal the frame;
/// then open it, decompress and decode. Beside it, the three primitives alone on the same bytes, so the share
/// of time spent elsewhere (our own code) shows.
func messageBenchmarks() {
    let secrets = benchSecrets()
    for size in [64, 1024, 65536] {
        // Moderately compressible bytes, as real payloads are: a 16-symbol alphabet.
        var random = BenchRandom(seed: UInt64(size))
        let value = (0..<size).map { _ in UInt8(random.next() % 16) }
        var sealer = FrameSealer(secrets: secrets)
        var decoder = FrameDecoder(secrets: secrets.peer)
        let total = measure {
            guard let wire = try? sealer.seal(Message(code: 16, payload: value.rlpEncoded()), compressed: true) else {
                preconditionFailure("seal failed")
            }
            decoder.append(wire)
            guard let frame = try? decoder.nextFrame(), let message = try? Message(frameData: frame.data, compressed: true),
                let decoded = try? [UInt8](rlpEncoded: message.payload)
            else { preconditionFailure("message path failed") }
            sink &+= UInt64(decoded.count)
        }
        report("message.path.\(size)", total, bytes: size)

        // The primitives alone, on what the path handles: snappy both ways on the payload; AES-CTR and Keccak
        // over the sealed bytes once per direction.
        let payload = value.rlpEncoded()
        let compressed = Snappy.compress(payload)
        let wireLength = Frame.wireLength(forSize: compressed.count + 1)
        let snappy = measure {
            let back = (try? Snappy.decompress(Snappy.compress(payload))) ?? []
            sink &+= UInt64(back.count)
        }
        var stream = AESCTRStream(key: secrets.aesSecret)
        var buffer = [UInt8](repeating: 1, count: wireLength - 32)
        let aes = measure {
            stream.apply(to: &buffer)
            stream.apply(to: &buffer)
            sink &+= UInt64(buffer[0])
        }
        let keccak = measure {
            var a = Keccak256()
            var b = Keccak256()
            a.update(buffer)
            b.update(buffer)
            sink &+= UInt64(a.finalize()[0] ^ b.finalize()[0])
        }
        report("message.snappy.\(size)", snappy, bytes: size)
        report("message.aes.\(size)", aes, bytes: size)
        report("message.keccak.\(size)", keccak, bytes: size)
    }
}
