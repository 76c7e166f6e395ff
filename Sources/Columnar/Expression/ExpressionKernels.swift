// The vectorised kernels of ExpressionEvaluator. Each must agree with ExpressionScalar.
extension ExpressionEvaluator {
    func eval(_ node: TypedNode, _ f: Frame) throws -> Vec {
        let n = f.count
        switch node.kind {
        case let .literal(v):
            switch (v, node.type) {
            case (.null, .double): return .double([Double](repeating: 0, count: n), [Bool](repeating: false, count: n))
            case (.null, .bool): return .bool([Bool](repeating: false, count: n), [Bool](repeating: false, count: n))
            case (.null, .string): return .values([Value](repeating: .null, count: n))
            case (.null, _): return .int([Int64](repeating: 0, count: n), [Bool](repeating: false, count: n))
            case let (.double(x), _): return .double([Double](repeating: x, count: n), nil)
            case let (.bool(x), _): return .bool([Bool](repeating: x, count: n), nil)
            default:
                if let x = ExpressionScalar.integral(v) { return .int([Int64](repeating: x, count: n), nil) }
                return .values([Value](repeating: v, count: n))
            }

        case let .column(ref):
            return load(f.columns[ref], f.rows[ref], n)

        case let .negate(x):
            switch try eval(x, f) {
            case let .double(a, m): return .double(a.map { -$0 }, m)
            case let .int(a, m):
                return try located(node) {
                    var out = [Int64](repeating: 0, count: n)
                    for i in 0..<n where m?[i] ?? true {
                        guard a[i] != .min else { throw ScalarFailure(message: "integer overflow negating \(a[i])") }
                        out[i] = -a[i]
                    }
                    return .int(out, m)
                }
            case let .values(v): return try located(node) { .values(try v.map(ExpressionScalar.negate)) }
            case .bool: break
            }

        case let .not(x):
            if case let .bool(a, m) = try eval(x, f) { return .bool(a.map { !$0 }, m) }

        case let .arithmetic(op, a, b) where op != .concat:
            let l = try eval(a, f), r = try eval(b, f)
            switch (l, r) {
            case let (.double(x, mx), .double(y, my)):
                var mask = combineMasks(mx, my)
                var out = [Double](repeating: 0, count: n)
                switch op {
                case .add: for i in 0..<n { out[i] = x[i] + y[i] }
                case .subtract: for i in 0..<n { out[i] = x[i] - y[i] }
                case .multiply: for i in 0..<n { out[i] = x[i] * y[i] }
                case .divide: for i in 0..<n { out[i] = x[i] / y[i] }
                default:
                    for i in 0..<n {
                        if let v = ExpressionScalar.doubleOp(op, x[i], y[i]) { out[i] = v } else {
                            if mask == nil { mask = [Bool](repeating: true, count: n) }
                            mask![i] = false
                        }
                    }
                }
                return .double(out, mask)
            case let (.int(x, mx), .int(y, my)):
                return try located(node) {
                    var mask = combineMasks(mx, my)
                    var out = [Int64](repeating: 0, count: n)
                    for i in 0..<n where mask?[i] ?? true {
                        if let v = try ExpressionScalar.intOp(op, x[i], y[i]) { out[i] = v } else {
                            if mask == nil { mask = [Bool](repeating: true, count: n) }
                            mask![i] = false
                        }
                    }
                    if node.type == .date, out.contains(where: { Int32(exactly: $0) == nil }) { throw ScalarFailure(message: "date out of range") }
                    return .int(out, mask)
                }
            default: break
            }

        case let .compare(op, a, b):
            let l = try eval(a, f), r = try eval(b, f)
            var out = [Bool](repeating: false, count: n)
            switch (l, r) {
            case let (.double(x, mx), .double(y, my)):
                for i in 0..<n { out[i] = ExpressionScalar.holds(op, x[i] < y[i] ? -1 : (x[i] > y[i] ? 1 : (x[i] == y[i] ? 0 : (x[i].isNaN ? (y[i].isNaN ? 0 : 1) : -1)))) }
                return .bool(out, combineMasks(mx, my))
            case let (.int(x, mx), .int(y, my)):
                switch op {
                case .equal: for i in 0..<n { out[i] = x[i] == y[i] }
                case .notEqual: for i in 0..<n { out[i] = x[i] != y[i] }
                case .less: for i in 0..<n { out[i] = x[i] < y[i] }
                case .lessOrEqual: for i in 0..<n { out[i] = x[i] <= y[i] }
                case .greater: for i in 0..<n { out[i] = x[i] > y[i] }
                default: for i in 0..<n { out[i] = x[i] >= y[i] }
                }
                return .bool(out, combineMasks(mx, my))
            default:
                return .values((0..<n).map { ExpressionScalar.comparison(op, l.value($0, a.type), r.value($0, b.type)) })
            }

        case let .logic(op, a, b):
            if case let .bool(x, mx) = try eval(a, f), case let .bool(y, my) = try eval(b, f) {
                if mx == nil, my == nil { return .bool(op == .and ? zip(x, y).map { $0 && $1 } : zip(x, y).map { $0 || $1 }, nil) }
                var out = [Bool](repeating: false, count: n), mask = [Bool](repeating: true, count: n)
                for i in 0..<n {
                    let lv = mx?[i] ?? true, rv = my?[i] ?? true
                    if op == .and {
                        if (lv && !x[i]) || (rv && !y[i]) { out[i] = false } else if lv && rv { out[i] = true } else { mask[i] = false }
                    } else {
                        if (lv && x[i]) || (rv && y[i]) { out[i] = true } else if lv && rv { out[i] = false } else { mask[i] = false }
                    }
                }
                return .bool(out, mask)
            }

        case let .isNull(x, negated):
            let v = try eval(x, f)
            guard let m = v.mask else { return .bool([Bool](repeating: negated, count: n), nil) }
            return .bool(negated ? m : m.map { !$0 }, nil)

        case let .cast(x) where node.type == .double && x.type == .int:
            if case let .int(a, m) = try eval(x, f) { return .double(a.map { Double($0) }, m) }

        case let .call(.coalesce, args) where node.type != .string && !args.dropFirst().contains(where: \.canFail):
            let vecs = try args.map { try eval($0, f) }
            var out = vecs[0]
            for v in vecs.dropFirst() {
                guard let m = out.mask else { break }
                switch (out, v) {
                case let (.double(a, _), .double(b, mb)):
                    var r = a, rm = m
                    for i in 0..<n where !m[i] && (mb?[i] ?? true) { r[i] = b[i]; rm[i] = true }
                    out = .double(r, rm.allSatisfy { $0 } ? nil : rm)
                case let (.int(a, _), .int(b, mb)):
                    var r = a, rm = m
                    for i in 0..<n where !m[i] && (mb?[i] ?? true) { r[i] = b[i]; rm[i] = true }
                    out = .int(r, rm.allSatisfy { $0 } ? nil : rm)
                case let (.bool(a, _), .bool(b, mb)):
                    var r = a, rm = m
                    for i in 0..<n where !m[i] && (mb?[i] ?? true) { r[i] = b[i]; rm[i] = true }
                    out = .bool(r, rm.allSatisfy { $0 } ? nil : rm)
                default:
                    return try rowwise(node, f)
                }
            }
            return out

        default:
            break
        }
        return try rowwise(node, f)
    }

    /// The node evaluated one row at a time with the scalar semantics.
    func rowwise(_ node: TypedNode, _ f: Frame) throws -> Vec {
        var out = [Value](repeating: .null, count: f.count)
        do {
            for p in 0..<f.count { out[p] = try scalar(node) { f.value($0, p) } }
        } catch let e as ScalarFailureAt {
            throw ExpressionError(.evaluation, e.message, source: source, offset: e.offset)
        }
        return .values(out)
    }

    /// Gathers a column's cells into a vector.
    func load(_ c: Column, _ rows: [Int]?, _ n: Int) -> Vec {
        let mask: [Bool]? = c.validity.map { v in rows.map { r in r.map { v[$0] } } ?? (0..<n).map { v[$0] } }
        @inline(__always) func gather<T, U>(_ a: [T], _ convert: (T) -> U) -> [U] {
            if let rows { return rows.map { convert(a[$0]) } }
            return a.map(convert)
        }
        switch c.data {
        case let .int64(a), let .timestamp(a): return .int(rows.map { r in r.map { a[$0] } } ?? a, mask)
        case let .int32(a), let .date(a): return .int(gather(a) { Int64($0) }, mask)
        case let .double(a): return .double(rows.map { r in r.map { a[$0] } } ?? a, mask)
        case let .float(a): return .double(gather(a) { Double($0) }, mask)
        case let .decimal(a, _, s): let scale = pow10(s); return .double(gather(a) { Double($0) / scale }, mask)
        case let .decimal128(a, _, s): let scale = pow10(s); return .double(gather(a) { Double($0) / scale }, mask)
        case let .bool(a): return .bool(rows.map { r in r.map { a[$0] } } ?? a, mask)
        case .string, .binary, .list, .structure, .map:
            return .values((0..<n).map { normalise(c.value(at: rows?[$0] ?? $0)) })
        }
    }

    /// A vector as a column of `type.dataType`.
    func column(_ v: Vec, _ type: ExpressionType) throws -> Column {
        let validity: ValidityBitmap? = v.mask.map { m in
            var b = ValidityBitmap(repeating: true, count: m.count)
            for (i, ok) in m.enumerated() where !ok { b[i] = false }
            return b
        }
        switch (v, type) {
        case let (.int(a, _), .date): return Column(.date(a.map { Int32(truncatingIfNeeded: $0) }), validity: validity)
        case let (.int(a, _), .timestamp): return Column(.timestamp(a), validity: validity)
        case let (.int(a, _), _): return Column(.int64(a), validity: validity)
        case let (.double(a, _), _): return Column(.double(a), validity: validity)
        case let (.bool(a, _), _): return Column(.bool(a), validity: validity)
        case let (.values(a), .string):
            // Built directly: appending through ColumnBuilder copies the string buffer on
            // every append (quadratic), see the report on ColumnBuilder.modify.
            var strings = StringArray()
            strings.reserveCapacity(strings: a.count, bytes: 0)
            for x in a { if case let .string(t) = x { strings.append(t) } else { strings.appendEmpty() } }
            return Column(.string(strings), validity: validity)
        case let (.values(a), _):
            return try column(typedVector(a, type), type)
        }
    }

    /// Row-wise results of a non-string type as a typed vector.
    private func typedVector(_ a: [Value], _ type: ExpressionType) throws -> Vec {
        let mask: [Bool]? = a.contains(where: \.isNull) ? a.map { !$0.isNull } : nil
        switch type {
        case .double: return .double(a.map { $0.doubleValue ?? 0 }, mask)
        case .bool: return .bool(a.map { if case .bool(true) = $0 { return true } else { return false } }, mask)
        default: return .int(a.map { ExpressionScalar.integral($0) ?? 0 }, mask)
        }
    }
}

/// A scalar failure with the offset of the node that raised it.
struct ScalarFailureAt: Error {
    let message: String
    let offset: Int
}

/// Evaluates `node` for one row; `fetch(ref)` reads reference `ref` of that row.
func scalar(_ node: TypedNode, _ fetch: (Int) -> Value) throws -> Value {
    func at<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch let s as ScalarFailure { throw ScalarFailureAt(message: s.message, offset: node.offset) }
    }
    switch node.kind {
    case let .literal(v):
        if case let .int(x) = v, node.type == .timestamp { return .timestamp(x) }
        if case let .int(x) = v, node.type == .date { return try at { try ExpressionScalar.wrap(x, .date) } }
        return v
    case let .column(ref): return fetch(ref)
    case let .negate(x): let v = try scalar(x, fetch); return try at { try ExpressionScalar.negate(v) }
    case let .not(x): return ExpressionScalar.not(try scalar(x, fetch))
    case let .arithmetic(op, a, b):
        let l = try scalar(a, fetch), r = try scalar(b, fetch)
        return try at { try ExpressionScalar.arithmetic(op, l, r, node.type) }
    case let .compare(op, a, b): return ExpressionScalar.comparison(op, try scalar(a, fetch), try scalar(b, fetch))
    case let .logic(op, a, b):
        let l = try scalar(a, fetch)
        // Short-circuit only where the answer is already decided.
        if op == .and, case .bool(false) = l { return .bool(false) }
        if op == .or, case .bool(true) = l { return .bool(true) }
        let r = try scalar(b, fetch)
        return op == .and ? ExpressionScalar.and(l, r) : ExpressionScalar.or(l, r)
    case let .isNull(x, negated): return .bool(try scalar(x, fetch).isNull != negated)
    case let .inList(x, list, negated):
        let r = ExpressionScalar.inList(try scalar(x, fetch), try list.map { try scalar($0, fetch) })
        return negated ? ExpressionScalar.not(r) : r
    case let .between(x, lo, hi, negated):
        let r = ExpressionScalar.between(try scalar(x, fetch), try scalar(lo, fetch), try scalar(hi, fetch))
        return negated ? ExpressionScalar.not(r) : r
    case let .like(x, p, negated, insensitive):
        guard case let .string(s) = try scalar(x, fetch), case let .string(pattern) = try scalar(p, fetch) else { return .null }
        return .bool(ExpressionScalar.like(s, pattern, caseInsensitive: insensitive) != negated)
    case let .caseWhen(arms, otherwise):
        for (cond, value) in arms { if case .bool(true) = try scalar(cond, fetch) { return try scalar(value, fetch) } }
        return try otherwise.map { try scalar($0, fetch) } ?? .null
    case let .call(fn, args):
        if fn == .coalesce {
            for a in args { let v = try scalar(a, fetch); if !v.isNull { return v } }
            return .null
        }
        let values = try args.map { try scalar($0, fetch) }
        return try at { try ExpressionScalar.call(fn, values) }
    case let .cast(x):
        let v = try scalar(x, fetch)
        return try at { try ExpressionScalar.cast(v, to: node.type) }
    case let .external(f, args):
        let values = try args.map { try scalar($0, fetch) }
        if !f.seesNulls, values.contains(where: \.isNull) { return .null }
        do { return try f.body(values) } catch let e as ExpressionFunctionFailure {
            throw ScalarFailureAt(message: e.message, offset: node.offset)
        }
    }
}
