// SPDX-License-Identifier: Apache-2.0
// `import DevP2P` is enough for every type DevP2P's public API uses: keys (RLPxCrypto), protocol specs and
// capabilities (RLPxMultiplexing), handshake formats and secrets (RLPxHandshake), frames and messages
// (RLPxFraming), RLP items and errors (RLP).
@_exported import RLP
@_exported import RLPxCrypto
@_exported import RLPxFraming
@_exported import RLPxHandshake
@_exported import RLPxMultiplexing
