// The events it raises (Side, ConnectionEvent, Message, Fault).
@_exported import RLPxEvents
// SPDX-License-Identifier: Apache-2.0
// `import RLPxCapture` is enough for the types its API takes: key log entries (RLPxHandshake) and protocol specs
// (RLPxMultiplexing).
@_exported import RLPxHandshake
@_exported import RLPxMultiplexing
