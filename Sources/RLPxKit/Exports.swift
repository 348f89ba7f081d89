@_exported import RLP
@_exported import Keccak
@_exported import RLPxCrypto
@_exported import RLPxFraming
@_exported import RLPxHandshake
@_exported import RLPxInspect
