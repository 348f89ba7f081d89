// SPDX-License-Identifier: Apache-2.0
import RLP

/// Makes a struct `RLPCodable` as the list of its stored properties, in declaration order; decode errors name the
/// property.
@attached(extension, conformances: RLPEncodable, RLPDecodable, names: named(encode), named(init))
public macro RLPList() = #externalMacro(module: "RLPMacroPlugin", type: "RLPListMacro")
