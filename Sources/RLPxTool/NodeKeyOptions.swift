// SPDX-License-Identifier: Apache-2.0
import ArgumentParser
import RLP
import RLPxCrypto
import RLPxPeer

/// `--nodekey FILE` or `--key HEX`: this node's private key. A key in the arguments is visible to every user of
/// the machine (`ps`), a key file only to its owner.
struct NodeKeyOptions: ParsableArguments {
    @Option(
        name: .long,
        help:
            "This node's private key, from a file of 64 hex digits as go-ethereum writes it (rlpx-tool key generate FILE); a fresh key when neither this nor --key is given.",
        completion: .file())
    var nodekey: String?

    @Option(name: .long, help: "This node's private key in hex (visible to other users in ps: prefer --nodekey).")
    var key: String?

    func validate() throws {
        if key != nil && nodekey != nil { throw ValidationError("Give --key or --nodekey, not both.") }
        if let key, parsePrivateKey(key) == nil { throw ValidationError("--key is not a valid secp256k1 private key") }
    }

    /// The key given, nil when none was; a key file that cannot be read or holds no key ends the process with
    /// one line on stderr and exit status 1.
    func load() -> Secp256k1.PrivateKey? {
        if let key { return parsePrivateKey(key) }
        guard let nodekey else { return nil }
        do {
            return try NodeKeyFile.read(nodekey)
        } catch {
            fail(error.description)
        }
    }
}

/// A secp256k1 private key from hex, nil when the text is not one: every `--key` reads this way (a bad one is a
/// usage error, exit status 64).
func parsePrivateKey(_ text: String) -> Secp256k1.PrivateKey? {
    try? Secp256k1.PrivateKey(rawRepresentation: Hex.decode(text))
}
