/// A function supplied by the caller through the scope (`ExpressionScope.functions`), for
/// functions whose implementation lives in a higher layer (entity resolution's string
/// metrics, the SQL functions Splink's comparison templates call).
///
/// Type checking asks `resolve` for the argument types to coerce to (SQL's widening
/// conversions only, as for built-ins) and the result type; evaluation calls `body` one row
/// at a time. Unless `seesNulls`, a null argument makes the result null without calling
/// `body` (SQL's usual rule). A `ScalarFailure`-style error from `body` is reported at the
/// call's location.
public struct ExpressionFunctionDefinition: Sendable {
    /// Lower-case name the expression calls it by.
    public var name: String
    /// How it reads in an error for arguments it does not accept, e.g. `levenshtein(string, string)`.
    public var signature: String
    /// For the argument types, the types to coerce them to and the result type; nil when
    /// they are not accepted.
    public var resolve: @Sendable ([ExpressionType]) -> (arguments: [ExpressionType], result: ExpressionType)?
    /// True when `body` handles null arguments itself (`nullif`).
    public var seesNulls: Bool
    /// True when `body` can throw (so SQL's lazy branches must not evaluate it eagerly).
    public var canFail: Bool
    /// The value for one row's arguments.
    public var body: @Sendable ([Value]) throws -> Value

    public init(name: String, signature: String, seesNulls: Bool = false, canFail: Bool = false,
                resolve: @escaping @Sendable ([ExpressionType]) -> (arguments: [ExpressionType], result: ExpressionType)?,
                body: @escaping @Sendable ([Value]) throws -> Value) {
        self.name = name.lowercased(); self.signature = signature; self.seesNulls = seesNulls; self.canFail = canFail
        self.resolve = resolve; self.body = body
    }

    /// A function of fixed argument types.
    public init(name: String, arguments: [ExpressionType], result: ExpressionType, canFail: Bool = false,
                body: @escaping @Sendable ([Value]) throws -> Value) {
        let signature = "\(name.lowercased())(\(arguments.map(\.description).joined(separator: ", ")))"
        self.init(name: name, signature: signature, canFail: canFail, resolve: { types in
            types.count == arguments.count ? (arguments, result) : nil
        }, body: body)
    }
}

/// An error a supplied function raises for a value it cannot handle; reported with the
/// location of the call, like the built-ins' failures.
public struct ExpressionFunctionFailure: Error {
    public let message: String
    public init(_ message: String) { self.message = message }
}
