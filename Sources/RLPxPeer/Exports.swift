// SPDX-License-Identifier: Apache-2.0
// `import RLPxPeer` is enough for the session types its API uses (DevP2P, which brings keys and protocol specs).
@_exported import DevP2P
