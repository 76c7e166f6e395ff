/// The Parquet schema as a tree, with the definition and repetition levels of every node
/// (Dremel), built from the footer's flattened depth-first `SchemaElement` list.
public final class SchemaNode: @unchecked Sendable {
    public let element: SchemaElement
    public let children: [SchemaNode]
    /// Path from the root's child down to this node.
    public let path: [String]
    /// Definition level when this node is present (counts optional and repeated ancestors, itself included).
    public let definitionLevel: Int
    /// Repetition level of this node (counts repeated ancestors, itself included).
    public let repetitionLevel: Int
    /// Leaf indices under this node: `leafRange.lowerBound..<leafRange.upperBound` in column order.
    public let leafRange: Range<Int>

    init(element: SchemaElement, children: [SchemaNode], path: [String], def: Int, rep: Int, leafRange: Range<Int>) {
        self.element = element
        self.children = children
        self.path = path
        definitionLevel = def
        repetitionLevel = rep
        self.leafRange = leafRange
    }

    public var name: String { element.name }
    public var isLeaf: Bool { children.isEmpty && element.type != nil }
    public var repetition: Repetition { element.repetition ?? .required }
    public var dottedPath: String { path.joined(separator: ".") }

    var isListAnnotated: Bool { element.logicalType == .list || element.convertedType == ConvertedType.list }
    var isMapAnnotated: Bool {
        element.logicalType == .map || element.convertedType == ConvertedType.map || element.convertedType == ConvertedType.mapKeyValue
    }
}

/// The whole schema: root children and leaves in column order.
public struct SchemaTree: @unchecked Sendable {
    public let fields: [SchemaNode]
    public let leaves: [SchemaNode]

    /// Builds the tree; throws `DecodeError` when child counts do not add up or nesting is absurd.
    init(_ elements: [SchemaElement]) throws {
        guard let root = elements.first else { throw DecodeError("empty schema") }
        var index = 1
        var leaves: [SchemaNode] = []
        func build(_ depth: Int, _ parentPath: [String], _ def: Int, _ rep: Int) throws -> SchemaNode {
            guard depth <= 64 else { throw DecodeError("schema nested deeper than 64 levels") }
            guard index < elements.count else { throw DecodeError("schema ends before all children were listed") }
            let e = elements[index]
            index += 1
            let repetition = e.repetition ?? .required
            let d = def + (repetition == .required ? 0 : 1)
            let r = rep + (repetition == .repeated ? 1 : 0)
            guard d <= 250 else { throw DecodeError("schema has more than 250 nesting levels") }
            let path = parentPath + [e.name]
            let first = leaves.count
            var children: [SchemaNode] = []
            let n = e.numChildren ?? 0
            if n > 0 {
                guard n <= elements.count - index else { throw DecodeError("schema element \(e.name) claims \(n) children, more than listed") }
                for _ in 0..<n { children.append(try build(depth + 1, path, d, r)) }
            } else {
                guard e.type != nil else { throw DecodeError("schema element \(path.joined(separator: ".")) has neither a type nor children") }
            }
            let node = SchemaNode(element: e, children: children, path: path, def: d, rep: r, leafRange: first..<(n > 0 ? leaves.count : first + 1))
            if n == 0 { leaves.append(node) }
            return node
        }
        var fields: [SchemaNode] = []
        let count = root.numChildren ?? 0
        guard count <= elements.count - 1 else { throw DecodeError("schema root claims \(count) children, more than listed") }
        for _ in 0..<count { fields.append(try build(1, [], 0, 0)) }
        guard index == elements.count else { throw DecodeError("schema lists \(elements.count - index) element(s) not reachable from the root") }
        self.fields = fields
        self.leaves = leaves
    }

    /// The leaf whose dotted path is `name`, or nil.
    public func leaf(_ name: String) -> SchemaNode? { leaves.first { $0.dottedPath == name } }

    /// The top-level field named `name`, or nil.
    public func field(_ name: String) -> SchemaNode? { fields.first { $0.name == name } }
}
