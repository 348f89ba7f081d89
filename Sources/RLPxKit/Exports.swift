@_exported import RLP
@_exported import DevP2P
@_exported import Keccak
@_exported import RLPxCrypto
@_exported import RLPxFraming
@_exported import RLPxHandshake
@_exported import RLPxMultiplexing
@_exported import RLPxInspect
