import Keccak
import RLP
print(Hex.encode(Keccak256.hash([UInt8]())))
print(Hex.encode(Keccak256.hash(Array("abc".utf8))))
let data = [UInt8](repeating: 7, count: 16384)
let clock = ContinuousClock()
var sink: UInt8 = 0
let n = 20000
let t = clock.measure { for _ in 0..<n { sink ^= Keccak256.hash(data)[0] } }
let secs = Double(t.components.seconds) + Double(t.components.attoseconds) / 1e18
print("MB/s", Double(n * 16384) / secs / 1e6, sink)
