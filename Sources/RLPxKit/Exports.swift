@_exported import RLP
@_exported import Keccak
@_exported import RLPxCrypto
@_exported import RLPxInspect
