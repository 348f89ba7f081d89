#!/usr/bin/env bash
# Builds the DocC documentation of every library module into .build/docs/<Module>.doccarchive with the toolchain's
# docc (no plugin needed). Preview one with: docc preview Sources/RLP/RLP.docc --additional-symbol-graph-dir .build/symbol-graphs
set -euo pipefail
cd "$(dirname "$0")/../.."
graphs=.build/symbol-graphs
mkdir -p "$graphs" .build/docs
swift build -Xswiftc -emit-symbol-graph -Xswiftc -emit-symbol-graph-dir -Xswiftc "$PWD/$graphs" >&2
for module in RLP Keccak RLPxCrypto RLPxHandshake RLPxFraming RLPxMultiplexing DevP2P RLPxPeer Eth Snap RLPxCapture RLPxConformance RLPxInspect RLPxServe RLPxKit; do
    module_graphs=$(mktemp -d)
    cp "$graphs/$module".symbols.json "$graphs/$module"@*.symbols.json "$module_graphs/" 2>/dev/null || true
    docc convert "Sources/$module/$module.docc" --fallback-display-name "$module" --fallback-bundle-identifier "org.swift-rlpx.$module" \
        --additional-symbol-graph-dir "$module_graphs" --output-path ".build/docs/$module.doccarchive" >&2
    rm -rf "$module_graphs"
    echo ".build/docs/$module.doccarchive"
done
