// SPDX-License-Identifier: Apache-2.0
import ArgumentParser
import RLPxPeer

extension PeerFault: ExpressibleByArgument {}
