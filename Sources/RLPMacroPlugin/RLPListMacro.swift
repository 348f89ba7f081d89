// SPDX-License-Identifier: Apache-2.0
import SwiftCompilerPlugin
import SwiftSyntax
import SwiftSyntaxBuilder
import SwiftSyntaxMacros

/// `@RLPList`: `encode(to:)` writes each stored property in order inside one list; `init(rlp:)` reads them back,
/// naming the property in any error and refusing extra elements. The expansion is what one writes by hand.
public struct RLPListMacro: ExtensionMacro {
    public static func expansion(
        of node: AttributeSyntax, attachedTo declaration: some DeclGroupSyntax, providingExtensionsOf type: some TypeSyntaxProtocol,
        conformingTo protocols: [TypeSyntax], in context: some MacroExpansionContext
    ) throws -> [ExtensionDeclSyntax] {
        let names = declaration.memberBlock.members.compactMap { member -> [String]? in
            guard let variable = member.decl.as(VariableDeclSyntax.self),
                !variable.modifiers.contains(where: { $0.name.text == "static" })
            else { return nil }
            return variable.bindings.compactMap { binding in
                binding.accessorBlock == nil ? binding.pattern.as(IdentifierPatternSyntax.self)?.identifier.text : nil
            }
        }.flatMap { $0 }
        // The conformance is as visible as the type.
        let access = declaration.modifiers.contains { ["public", "package"].contains($0.name.text) } ? "public " : ""
        let writes = names.map { "list.write(\($0))" }.joined(separator: "\n")
        let reads = names.map { "\($0) = try list.read(field: \"\($0)\")" }.joined(separator: "\n")
        let decl: DeclSyntax = """
            extension \(type.trimmed): RLPEncodable, RLPDecodable {
                \(raw: access)func encode(to writer: inout RLPWriter) {
                    writer.writeList { list in
                        \(raw: writes)
                    }
                }
                \(raw: access)init(rlp reader: inout RLPReader) throws(RLPError) {
                    var list = try reader.listReader()
                    \(raw: reads)
                    try list.finish()
                }
            }
            """
        guard let ext = decl.as(ExtensionDeclSyntax.self) else { return [] }
        return [ext]
    }
}

@main struct RLPMacroPlugin: CompilerPlugin {
    let providingMacros: [any Macro.Type] = [RLPListMacro.self]
}
