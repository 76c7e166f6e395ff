/// The names an expression may reference: qualifiers (`e1`, `src`, `l`) bound to schemas,
/// and which of them plain names (`amount`) are looked up in.
///
/// A plain name must be found in exactly one of the `plainQualifiers` tables; otherwise it
/// is unknown or ambiguous, as in SQL. Use the empty qualifier `""` for a table that is
/// only reachable by plain names.
public struct ExpressionScope: Sendable {
    /// Qualifier -> schema, in binding order.
    public private(set) var bindings: [(qualifier: String, schema: Schema)] = []
    /// The qualifiers searched for plain names.
    public var plainQualifiers: [String] = []
    /// Functions supplied by the caller, by lower-case name; built-in names take precedence.
    public var functions: [String: ExpressionFunctionDefinition] = [:]

    public init() {}

    /// A scope with each qualifier bound to its table's schema; plain names are searched in
    /// `plain` (default: every qualifier).
    public init(_ tables: [(String, Schema)], plain: [String]? = nil) {
        for (q, s) in tables { bind(q, s) }
        plainQualifiers = plain ?? tables.map(\.0)
    }

    /// Binds `qualifier` to `schema`, replacing an earlier binding of the same name.
    public mutating func bind(_ qualifier: String, _ schema: Schema) {
        if let i = bindings.firstIndex(where: { $0.qualifier == qualifier }) { bindings[i].schema = schema } else { bindings.append((qualifier, schema)) }
    }

    /// Makes `function` callable from expressions checked against this scope.
    public mutating func register(_ function: ExpressionFunctionDefinition) { functions[function.name] = function }

    func schema(_ qualifier: String) -> Schema? { bindings.first { $0.qualifier == qualifier }?.schema }
}
