import RLP
