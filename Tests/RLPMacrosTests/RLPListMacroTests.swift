// SPDX-License-Identifier: Apache-2.0
import RLPMacroPlugin
import SwiftSyntaxBuilder
import SwiftSyntaxMacroExpansion
import SwiftSyntaxMacrosGenericTestSupport
import Testing

/// `@RLPList` expanded by swift-syntax's test support: the generated conformance is the code one writes by hand.
@Suite struct RLPListMacroTests {
    let macros: [String: MacroSpec] = ["RLPList": MacroSpec(type: RLPListMacro.self, conformances: ["RLPEncodable", "RLPDecodable"])]

    func expand(_ source: String, _ expected: String, sourceLocation: SourceLocation = #_sourceLocation) {
        assertMacroExpansion(source, expandedSource: expected, macroSpecs: macros) { failure in
            Issue.record(Comment(rawValue: failure.message), sourceLocation: sourceLocation)
        }
    }

    /// Stored properties in declaration order; computed and static ones are not part of the list; a public type's
    /// conformance is public.
    @Test func aPublicStructIsTheListOfItsStoredProperties() {
        expand(
            """
            @RLPList
            public struct Pair {
                public var first: UInt64
                public let second: [UInt8]
                static let unit = 1
                var sum: Int { 2 }
            }
            """,
            """
            public struct Pair {
                public var first: UInt64
                public let second: [UInt8]
                static let unit = 1
                var sum: Int { 2 }
            }

            extension Pair: RLPEncodable, RLPDecodable {
                public func encode(to writer: inout RLPWriter) {
                    writer.writeList { list in
                        list.write(first)
                        list.write(second)
                    }
                }
                public init(rlp reader: inout RLPReader) throws(RLPError) {
                    var list = try reader.listReader()
                    first = try list.read(field: "first")
                    second = try list.read(field: "second")
                    try list.finish()
                }
            }
            """)
    }

    /// An internal type gets an internal conformance; several bindings in one declaration are each an element.
    @Test func anInternalStructWithSeveralBindingsInOneDeclaration() {
        expand(
            """
            @RLPList
            struct Point {
                var x, y: UInt
            }
            """,
            """
            struct Point {
                var x, y: UInt
            }

            extension Point: RLPEncodable, RLPDecodable {
                func encode(to writer: inout RLPWriter) {
                    writer.writeList { list in
                        list.write(x)
                        list.write(y)
                    }
                }
                init(rlp reader: inout RLPReader) throws(RLPError) {
                    var list = try reader.listReader()
                    x = try list.read(field: "x")
                    y = try list.read(field: "y")
                    try list.finish()
                }
            }
            """)
    }

    /// A struct without stored properties is the empty list.
    @Test func aStructWithoutStoredPropertiesIsTheEmptyList() {
        expand(
            """
            @RLPList
            struct Nothing {
            }
            """,
            """
            struct Nothing {
            }

            extension Nothing: RLPEncodable, RLPDecodable {
                func encode(to writer: inout RLPWriter) {
                    writer.writeList { list in

                    }
                }
                init(rlp reader: inout RLPReader) throws(RLPError) {
                    var list = try reader.listReader()

                    try list.finish()
                }
            }
            """)
    }
}
