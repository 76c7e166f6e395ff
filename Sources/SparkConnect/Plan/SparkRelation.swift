// A small builder of Spark Connect relations (the logical plan sent to the server).

/// A Spark Connect relation: an immutable logical plan node with the DataFrame-style
/// operations amlgraph uses. Expressions are Spark SQL text (`ExpressionString`), parsed
/// and resolved by the server, so `filter("amount < 10000")` means what it means in Spark SQL.
///
/// Nothing runs until the relation is given to `SparkConnectClient.collect`, `.write` or
/// `.createTempView`. Follows Spark Connect's `Relation` messages: Read, SQL, Project,
/// Filter, Join, Aggregate, WithColumns, Deduplicate, Repartition, SubqueryAlias, Sort, Limit.
public struct SparkRelation: Sendable {
    public var proto: Spark_Connect_Relation

    public init(_ proto: Spark_Connect_Relation) { self.proto = proto }

    static func make(_ fill: (inout Spark_Connect_Relation) -> Void) -> SparkRelation {
        var r = Spark_Connect_Relation()
        fill(&r)
        return SparkRelation(r)
    }

    /// A SQL query (may name session temporary views).
    public static func sql(_ query: String) -> SparkRelation {
        make { var s = Spark_Connect_SQL(); s.query = query; $0.sql = s }
    }

    /// Parquet files (or directories of them) on the server's file system.
    public static func parquet(_ paths: [String]) -> SparkRelation {
        make {
            var d = Spark_Connect_Read.DataSource()
            d.format = "parquet"
            d.paths = paths
            var read = Spark_Connect_Read()
            read.dataSource = d
            $0.read = read
        }
    }

    /// A table or view by name.
    public static func table(_ name: String) -> SparkRelation {
        make {
            var t = Spark_Connect_Read.NamedTable()
            t.unparsedIdentifier = name
            var read = Spark_Connect_Read()
            read.namedTable = t
            $0.read = read
        }
    }

    /// Integers `start ..< end` in a column `id`.
    public static func range(_ start: Int64, _ end: Int64, step: Int64 = 1) -> SparkRelation {
        make { var r = Spark_Connect_Range(); r.start = start; r.end = end; r.step = step; $0.range = r }
    }

    static func expression(_ text: String) -> Spark_Connect_Expression {
        var e = Spark_Connect_Expression()
        var s = Spark_Connect_Expression.ExpressionString()
        s.expression = text
        e.expressionString = s
        return e
    }

    /// `SELECT exprs` (each a SQL expression, `AS` allowed).
    public func select(_ expressions: [String]) -> SparkRelation {
        Self.make { var p = Spark_Connect_Project(); p.input = proto; p.expressions = expressions.map(Self.expression); $0.project = p }
    }

    /// Rows where `condition` (SQL) holds.
    public func filter(_ condition: String) -> SparkRelation {
        Self.make { var f = Spark_Connect_Filter(); f.input = proto; f.condition = Self.expression(condition); $0.filter = f }
    }

    public enum JoinType: Sendable { case inner, leftOuter, fullOuter, leftSemi, leftAnti, cross }

    /// Joins on a SQL condition (name the sides with `alias(_:)` first), or on equal `using`
    /// columns when `on` is nil.
    public func join(_ other: SparkRelation, on condition: String? = nil, using: [String] = [], type: JoinType = .inner) -> SparkRelation {
        Self.make {
            var j = Spark_Connect_Join()
            j.left = proto
            j.right = other.proto
            if let condition { j.joinCondition = Self.expression(condition) }
            j.usingColumns = using
            switch type {
            case .inner: j.joinType = .inner
            case .leftOuter: j.joinType = .leftOuter
            case .fullOuter: j.joinType = .fullOuter
            case .leftSemi: j.joinType = .leftSemi
            case .leftAnti: j.joinType = .leftAnti
            case .cross: j.joinType = .cross
            }
            $0.join = j
        }
    }

    /// `GROUP BY keys` with aggregate expressions (`sum(x) AS total`).
    public func groupBy(_ keys: [String], aggregate: [String]) -> SparkRelation {
        Self.make {
            var a = Spark_Connect_Aggregate()
            a.input = proto
            a.groupType = .groupby
            a.groupingExpressions = keys.map(Self.expression)
            a.aggregateExpressions = aggregate.map(Self.expression)
            $0.aggregate = a
        }
    }

    /// Adds or replaces columns: `(name, SQL expression)`.
    public func withColumns(_ columns: [(String, String)]) -> SparkRelation {
        Self.make {
            var w = Spark_Connect_WithColumns()
            w.input = proto
            w.aliases = columns.map { name, expr in
                var a = Spark_Connect_Expression.Alias()
                a.expr = Self.expression(expr)
                a.name = [name]
                return a
            }
            $0.withColumns = w
        }
    }

    /// Distinct rows (all columns) or rows distinct on `columns`.
    public func distinct(on columns: [String] = []) -> SparkRelation {
        Self.make {
            var d = Spark_Connect_Deduplicate()
            d.input = proto
            if columns.isEmpty { d.allColumnsAsKeys = true } else { d.columnNames = columns }
            $0.deduplicate = d
        }
    }

    /// Redistributes rows into `partitions` partitions (with a shuffle).
    public func repartition(_ partitions: Int) -> SparkRelation {
        Self.make { var r = Spark_Connect_Repartition(); r.input = proto; r.numPartitions = Int32(partitions); r.shuffle = true; $0.repartition = r }
    }

    /// Names the relation so join conditions can say `name.column`.
    public func alias(_ name: String) -> SparkRelation {
        Self.make { var s = Spark_Connect_SubqueryAlias(); s.input = proto; s.alias = name; $0.subqueryAlias = s }
    }

    /// Orders by columns (ascending, nulls first, as Spark's default).
    public func orderBy(_ columns: [String]) -> SparkRelation {
        Self.make {
            var s = Spark_Connect_Sort()
            s.input = proto
            s.order = columns.map {
                var o = Spark_Connect_Expression.SortOrder()
                o.child = Self.expression($0)
                o.direction = .ascending
                o.nullOrdering = .sortNullsFirst
                return o
            }
            s.isGlobal = true
            $0.sort = s
        }
    }

    public func limit(_ n: Int) -> SparkRelation {
        Self.make { var l = Spark_Connect_Limit(); l.input = proto; l.limit = Int32(n); $0.limit = l }
    }
}
