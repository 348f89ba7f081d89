@_exported import RLP
@_exported import Keccak
@_exported import RLPxInspect
