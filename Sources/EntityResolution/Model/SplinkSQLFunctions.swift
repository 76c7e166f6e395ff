import Columnar
import Foundation

/// The DuckDB functions Splink 5's comparison templates write into `sql_condition`, as
/// functions of the expression language (registered in the scope a custom level is checked
/// against). Each follows DuckDB 1.x's semantics, checked against DuckDB in the interop
/// tests:
///
/// - `levenshtein`, `damerau_levenshtein`, `jaro_similarity`, `jaro_winkler_similarity` and
///   `jaccard` work on the UTF-8 **bytes** of their arguments, as DuckDB's do (so
///   `levenshtein('héllo', 'hello')` is 2 and `jaccard('éa', 'ea')` is 0.25: DuckDB's
///   `jaccard` is over the sets of bytes, which for ASCII are the sets of characters). The
///   fast path of the recognised library levels compares NFC scalars instead; the two agree
///   on ASCII text.
/// - `regexp_extract(s, pattern[, group])` returns the group of the first match or '' when
///   nothing matches (patterns are ICU regular expressions; RE2 and ICU agree on the
///   classes, anchors and repetitions Splink's templates use).
/// - `nullif(a, b)` is null when `a = b`, else `a`.
/// - `strptime(s, format)` / `try_strptime(s, format)` parse `%Y %m %d %H %M %S %y %f %%`
///   and literal characters after leading spaces into a timestamp; an impossible date or
///   trailing text fails (`try_strptime` gives null instead).
/// - `epoch(date | timestamp)` is seconds since 1970-01-01 as a double.
/// - `radians`, `degrees`, `sin`, `cos`, `tan`, `asin`, `acos`, `atan`, `atan2`, `pi` as libm
///   computes them (DuckDB: `radians(x) = x · π/180`; `asin`/`acos` outside [−1, 1] are an
///   error).
/// - `float32(x)` rounds a double to single precision: `cast(x as float)` in Splink's SQL is
///   rewritten to it, since DuckDB's FLOAT is 32-bit (see `SplinkSQL.translate`).
public enum SplinkSQLFunctions {
    /// Every function, for `ExpressionScope.register`.
    public static let all: [ExpressionFunctionDefinition] = {
        var out: [ExpressionFunctionDefinition] = []
        out.append(.init(name: "levenshtein", arguments: [.string, .string], result: .int) { a in
            .int(Int64(levenshteinDistance(Self.bytes(a[0]), Self.bytes(a[1]))))
        })
        out.append(.init(name: "damerau_levenshtein", arguments: [.string, .string], result: .int) { a in
            .int(Int64(damerauLevenshteinDistance(Self.bytes(a[0]), Self.bytes(a[1]))))
        })
        out.append(.init(name: "jaro_similarity", arguments: [.string, .string], result: .double) { a in
            .double(jaroSimilarity(Self.bytes(a[0]), Self.bytes(a[1])))
        })
        out.append(.init(name: "jaro_winkler_similarity", arguments: [.string, .string], result: .double) { a in
            .double(jaroWinklerSimilarity(Self.bytes(a[0]), Self.bytes(a[1])))
        })
        out.append(.init(name: "jaccard", arguments: [.string, .string], result: .double) { a in
            .double(jaccardSimilarity(Self.bytes(a[0]), Self.bytes(a[1]), q: 1))
        })
        out.append(.init(name: "regexp_extract", signature: "regexp_extract(string, string[, int])", canFail: true, resolve: { t in
            t.count == 2 ? ([.string, .string], .string) : (t.count == 3 ? ([.string, .string, .int], .string) : nil)
        }, body: { a in
            let group = a.count > 2 ? Int(a[2].intValue ?? 0) : 0
            return .string(try RegexCache.shared.extract(a[0].stringValue!, pattern: a[1].stringValue!, group: group))
        }))
        out.append(.init(name: "nullif", signature: "nullif(x, y) with x and y of one type", seesNulls: true, resolve: { t in
            guard t.count == 2 else { return nil }
            let a = t[0] == .null ? t[1] : t[0], b = t[1] == .null ? a : t[1]
            if a == b { return ([a, a], a) }
            if [a, b].allSatisfy({ $0 == .int || $0 == .double }) { return ([.double, .double], .double) }
            return nil
        }, body: { a in
            if a[0].isNull || a[1].isNull { return a[0] }
            if case let .string(x) = a[0], case let .string(y) = a[1] { return x.utf8.elementsEqual(y.utf8) ? .null : a[0] }  // bytes, as DuckDB
            return a[0] == a[1] ? .null : a[0]
        }))
        for name in ["strptime", "try_strptime"] {
            let lenient = name == "try_strptime"
            out.append(.init(name: name, arguments: [.string, .string], result: .timestamp, canFail: true) { a in
                switch StrptimeFormat.parse(a[0].stringValue!, format: a[1].stringValue!) {
                case let .success(micros): return .timestamp(micros)
                case let .failure(error):
                    if lenient, case .noMatch = error { return .null }
                    throw ExpressionFunctionFailure(error.message(a[0].stringValue!, a[1].stringValue!))
                }
            })
        }
        out.append(.init(name: "epoch", signature: "epoch(date | timestamp)", resolve: { t in
            t.count == 1 && (t[0] == .date || t[0] == .timestamp || t[0] == .null) ? ([t[0] == .date ? .date : .timestamp], .double) : nil
        }, body: { a in
            switch a[0] {
            case let .date(d): return .double(Double(d) * 86_400)
            case let .timestamp(t): return .double(Double(t) / 1_000_000)
            default: return .null
            }
        }))
        func unary(_ name: String, canFail: Bool = false, _ f: @escaping @Sendable (Double) throws -> Double) {
            out.append(.init(name: name, arguments: [.double], result: .double, canFail: canFail) { a in .double(try f(a[0].doubleValue!)) })
        }
        unary("radians") { $0 * (Double.pi / 180) }
        unary("degrees") { $0 * (180 / Double.pi) }
        unary("sin") { Foundation.sin($0) }
        unary("cos") { Foundation.cos($0) }
        unary("tan") { Foundation.tan($0) }
        unary("atan") { Foundation.atan($0) }
        unary("asin", canFail: true) { x in
            guard x >= -1, x <= 1 else { throw ExpressionFunctionFailure("asin(\(x)) is outside [-1, 1]") }
            return Foundation.asin(x)
        }
        unary("acos", canFail: true) { x in
            guard x >= -1, x <= 1 else { throw ExpressionFunctionFailure("acos(\(x)) is outside [-1, 1]") }
            return Foundation.acos(x)
        }
        unary("float32") { Double(Float($0)) }
        out.append(.init(name: "atan2", arguments: [.double, .double], result: .double) { a in .double(Foundation.atan2(a[0].doubleValue!, a[1].doubleValue!)) })
        out.append(.init(name: "pi", arguments: [], result: .double) { _ in .double(Double.pi) })
        return out
    }()

    /// The UTF-8 bytes of a string value, widened for the metrics.
    @Sendable static func bytes(_ v: Value) -> [UInt32] { Array(v.stringValue!.utf8).map(UInt32.init) }

    /// A scope binding `l` and `r` to `schema` with every function registered.
    public static func pairScope(_ schema: Schema) -> ExpressionScope {
        var scope = ExpressionScope([("l", schema), ("r", schema)], plain: [])
        for f in all { scope.register(f) }
        return scope
    }
}

/// Compiled regular expressions by pattern, shared by every thread (patterns are literals in
/// practice, so the cache stays small; it is bounded all the same).
final class RegexCache: @unchecked Sendable {
    static let shared = RegexCache()
    private var compiled: [String: NSRegularExpression] = [:]
    private let lock = NSLock()

    func regex(_ pattern: String) throws -> NSRegularExpression {
        lock.lock(); defer { lock.unlock() }
        if let r = compiled[pattern] { return r }
        guard let r = try? NSRegularExpression(pattern: pattern) else {
            throw ExpressionFunctionFailure("invalid regular expression '\(pattern)'")
        }
        if compiled.count > 1024 { compiled.removeAll() }
        compiled[pattern] = r
        return r
    }

    /// Group `group` of the first match of `pattern` in `s`, or '' (DuckDB's regexp_extract).
    func extract(_ s: String, pattern: String, group: Int) throws -> String {
        let r = try regex(pattern)
        guard group >= 0, group <= r.numberOfCaptureGroups else {
            throw ExpressionFunctionFailure("regexp_extract group \(group) is out of range for '\(pattern)'")
        }
        let ns = s as NSString
        guard let m = r.firstMatch(in: s, range: NSRange(location: 0, length: ns.length)) else { return "" }
        let range = m.range(at: group)
        return range.location == NSNotFound ? "" : ns.substring(with: range)
    }
}
