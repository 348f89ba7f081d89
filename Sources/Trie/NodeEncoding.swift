// SPDX-License-Identifier: Apache-2.0
import RLP

/// The RLP encodings of the three kinds of node.
enum NodeEncoding {
    /// A leaf: its hex-prefix path (leaf flag set) and its value.
    static func leaf(path: [UInt8], value: [UInt8]) -> [UInt8] {
        RLPWriter.encode { writer in
            writer.writeList { list in
                list.write(bytes: path)
                list.write(bytes: value)
            }
        }
    }

    /// An extension: its hex-prefix path (leaf flag clear) and its child.
    static func extensionNode(path: [UInt8], child: NodeReference) -> [UInt8] {
        RLPWriter.encode { writer in
            writer.writeList { list in
                list.write(bytes: path)
                child.write(into: &list)
            }
        }
    }

    /// A branch: sixteen children and the value of the key that ends here (empty for none).
    static func branch(children: [NodeReference], value: [UInt8]) -> [UInt8] {
        RLPWriter.encode { writer in
            writer.writeList { list in
                for child in children { child.write(into: &list) }
                list.write(bytes: value)
            }
        }
    }
}
