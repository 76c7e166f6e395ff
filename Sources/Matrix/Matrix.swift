// Module Matrix: dense linear algebra on OpenBLAS (CBLAS) and LAPACKE.
//
// Layout: every matrix is row-major (C order), like numpy's default, so a table's rows map to
// matrix rows without transposing. Views (`MatrixView`, `VectorView`) describe a block of rows
// and columns, a single row or a single column of a parent's storage by offset, leading
// dimension and stride; BLAS routines take them directly without copying.
//
// Threading policy (one policy for the whole project, see `BLASThreading`):
// - big BLAS/LAPACK calls (gemm, syevr, gesdd on matrices in the hundreds and up) run on
//   OpenBLAS's own threads, whatever `OPENBLAS_NUM_THREADS` allows;
// - when our code runs its own parallel loop (`DispatchQueue.concurrentPerform`) whose bodies
//   call BLAS on small operands (one component's Laplacian, one batch of pairs), the loop is
//   wrapped in `BLASThreading.singleThreaded { ... }`, which sets `openblas_set_num_threads(1)`
//   for its duration, so the two thread pools never oversubscribe the cores.
// The setting is process-wide; the wrapper reference-counts nested and concurrent users and
// restores the previous count when the last one leaves.

/// A dense row-major matrix of `Double` or `Float`.
///
/// Element (i, j) is `elements[i * columns + j]`. Value semantics (copy on write through the
/// array). Views taken from a matrix are snapshots: later writes to the matrix do not change them.
public struct Matrix<T: BLASScalar>: Equatable, Sendable, CustomStringConvertible {
    /// Number of rows.
    public let rows: Int
    /// Number of columns.
    public let columns: Int
    /// The elements in row-major order; `count == rows * columns`.
    public private(set) var elements: [T]

    /// A `rows × columns` matrix filled with `value`.
    public init(rows: Int, columns: Int, repeating value: T = 0) {
        precondition(rows >= 0 && columns >= 0, "negative matrix dimension")
        self.rows = rows
        self.columns = columns
        elements = [T](repeating: value, count: rows * columns)
    }

    /// A matrix over existing row-major elements; `elements.count` must be `rows * columns`.
    public init(rows: Int, columns: Int, elements: [T]) {
        precondition(rows >= 0 && columns >= 0 && elements.count == rows * columns,
                     "matrix \(rows)x\(columns) needs \(rows * columns) elements, got \(elements.count)")
        self.rows = rows
        self.columns = columns
        self.elements = elements
    }

    /// A matrix from nested rows (all rows the same length). Convenient for small literals.
    public init(_ rowArrays: [[T]]) {
        let c = rowArrays.first?.count ?? 0
        precondition(rowArrays.allSatisfy { $0.count == c }, "ragged rows")
        self.init(rows: rowArrays.count, columns: c, elements: rowArrays.flatMap { $0 })
    }

    /// The `n × n` identity.
    public static func identity(_ n: Int) -> Matrix {
        var m = Matrix(rows: n, columns: n)
        for i in 0..<n { m[i, i] = 1 }
        return m
    }

    /// A square matrix with `d` on the diagonal.
    public static func diagonal(_ d: [T]) -> Matrix {
        var m = Matrix(rows: d.count, columns: d.count)
        for i in d.indices { m[i, i] = d[i] }
        return m
    }

    /// True when the matrix has no elements.
    public var isEmpty: Bool { rows == 0 || columns == 0 }

    /// Element (i, j).
    public subscript(i: Int, j: Int) -> T {
        get { elements[i * columns + j] }
        set { elements[i * columns + j] = newValue }
    }

    /// Calls `body` with the mutable row-major buffer (for hot loops that fill a matrix).
    public mutating func withUnsafeMutableBufferPointer<R>(_ body: (inout UnsafeMutableBufferPointer<T>) throws -> R) rethrows -> R {
        try elements.withUnsafeMutableBufferPointer(body)
    }

    /// The whole matrix as a view.
    public var view: MatrixView<T> { MatrixView(storage: elements, offset: 0, rows: rows, columns: columns, leadingDimension: Swift.max(1, columns)) }

    /// Row `i` as a vector view (stride 1).
    public func row(_ i: Int) -> VectorView<T> { view.row(i) }
    /// Column `j` as a vector view (stride `columns`).
    public func column(_ j: Int) -> VectorView<T> { view.column(j) }
    /// The block of rows `r` and columns `c`.
    public subscript(rows r: Range<Int>, columns c: Range<Int>) -> MatrixView<T> { view[rows: r, columns: c] }
    /// The block of rows `r` (all columns).
    public subscript(rows r: Range<Int>) -> MatrixView<T> { view[rows: r, columns: 0..<columns] }
    /// The block of columns `c` (all rows).
    public subscript(columns c: Range<Int>) -> MatrixView<T> { view[rows: 0..<rows, columns: c] }

    /// The transpose (a copy). O(rows · columns).
    public var transposed: Matrix {
        var t = Matrix(rows: columns, columns: rows)
        for i in 0..<rows { for j in 0..<columns { t.elements[j * rows + i] = elements[i * columns + j] } }
        return t
    }

    /// Frobenius norm, computed with scaling so that it does not overflow.
    public var frobeniusNorm: T { VectorView(elements).norm }

    /// Largest absolute element (0 for an empty matrix).
    public var maxAbs: T { elements.reduce(0) { Swift.max($0, abs($1)) } }

    public var description: String {
        (0..<rows).map { i in (0..<columns).map { "\(self[i, $0])" }.joined(separator: " ") }.joined(separator: "\n")
    }

    /// Matrix product via gemm.
    public static func * (a: Matrix, b: Matrix) -> Matrix { BLAS.gemm(a.view, b.view) }
    /// Elementwise difference.
    public static func - (a: Matrix, b: Matrix) -> Matrix {
        precondition(a.rows == b.rows && a.columns == b.columns, "shape mismatch")
        return Matrix(rows: a.rows, columns: a.columns, elements: zip(a.elements, b.elements).map { $0 - $1 })
    }
    /// Elementwise sum.
    public static func + (a: Matrix, b: Matrix) -> Matrix {
        precondition(a.rows == b.rows && a.columns == b.columns, "shape mismatch")
        return Matrix(rows: a.rows, columns: a.columns, elements: zip(a.elements, b.elements).map { $0 + $1 })
    }
    /// Matrix–vector product via gemv.
    public static func * (a: Matrix, x: [T]) -> [T] { BLAS.gemv(a.view, VectorView(x)) }
}

/// A rectangular block of a row-major matrix: element (i, j) is
/// `storage[offset + i * leadingDimension + j]`. Holds a reference to the parent's storage
/// (copy on write), so making a view is O(1) and it stays valid on its own.
public struct MatrixView<T: BLASScalar>: Sendable {
    public let storage: [T]
    public let offset: Int
    public let rows: Int
    public let columns: Int
    /// Distance between the starts of consecutive rows (≥ columns).
    public let leadingDimension: Int

    /// A view over `storage`; the block must lie inside it.
    public init(storage: [T], offset: Int, rows: Int, columns: Int, leadingDimension: Int) {
        precondition(rows >= 0 && columns >= 0 && offset >= 0 && leadingDimension >= Swift.max(1, columns), "invalid view")
        precondition(rows == 0 || columns == 0 || offset + (rows - 1) * leadingDimension + columns <= storage.count, "view exceeds storage")
        self.storage = storage
        self.offset = offset
        self.rows = rows
        self.columns = columns
        self.leadingDimension = leadingDimension
    }

    public var isEmpty: Bool { rows == 0 || columns == 0 }

    /// Element (i, j).
    public subscript(i: Int, j: Int) -> T {
        precondition(i >= 0 && i < rows && j >= 0 && j < columns, "index out of range")
        return storage[offset + i * leadingDimension + j]
    }

    /// Row `i` (stride 1).
    public func row(_ i: Int) -> VectorView<T> {
        precondition(i >= 0 && i < rows, "row \(i) out of range 0..<\(rows)")
        return VectorView(storage: storage, offset: offset + i * leadingDimension, count: columns, stride: 1)
    }

    /// Column `j` (stride `leadingDimension`).
    public func column(_ j: Int) -> VectorView<T> {
        precondition(j >= 0 && j < columns, "column \(j) out of range 0..<\(columns)")
        return VectorView(storage: storage, offset: offset + j, count: rows, stride: leadingDimension)
    }

    /// The sub-block of rows `r` and columns `c` (relative to this view).
    public subscript(rows r: Range<Int>, columns c: Range<Int>) -> MatrixView<T> {
        precondition(r.lowerBound >= 0 && r.upperBound <= rows && c.lowerBound >= 0 && c.upperBound <= columns, "block out of range")
        return MatrixView(storage: storage, offset: offset + r.lowerBound * leadingDimension + c.lowerBound,
                          rows: r.count, columns: c.count, leadingDimension: leadingDimension)
    }

    /// A dense copy of the block.
    public func copy() -> Matrix<T> {
        var out = [T]()
        out.reserveCapacity(rows * columns)
        for i in 0..<rows { out.append(contentsOf: storage[(offset + i * leadingDimension)..<(offset + i * leadingDimension + columns)]) }
        return Matrix(rows: rows, columns: columns, elements: out)
    }
}

/// A strided vector over some storage: element k is `storage[offset + k * stride]`.
/// A row of a row-major matrix has stride 1, a column has stride `leadingDimension`.
public struct VectorView<T: BLASScalar>: Sendable {
    public let storage: [T]
    public let offset: Int
    public let count: Int
    public let stride: Int

    public init(storage: [T], offset: Int, count: Int, stride: Int) {
        precondition(count >= 0 && stride >= 1 && offset >= 0, "invalid vector view")
        precondition(count == 0 || offset + (count - 1) * stride < storage.count, "vector view exceeds storage")
        self.storage = storage
        self.offset = offset
        self.count = count
        self.stride = stride
    }

    /// A contiguous view of a whole array.
    public init(_ array: [T]) { self.init(storage: array, offset: 0, count: array.count, stride: 1) }

    public subscript(k: Int) -> T {
        precondition(k >= 0 && k < count, "index out of range")
        return storage[offset + k * stride]
    }

    /// The elements as a new array.
    public var array: [T] { (0..<count).map { storage[offset + $0 * stride] } }

    /// Euclidean norm with scaling (LAPACK's dnrm2 semantics: no overflow for large entries).
    public var norm: T {
        var scale: T = 0, ssq: T = 1
        for k in 0..<count {
            let x = abs(storage[offset + k * stride])
            if x == 0 { continue }
            if scale < x { ssq = 1 + ssq * (scale / x) * (scale / x); scale = x } else { ssq += (x / scale) * (x / scale) }
        }
        return scale * ssq.squareRoot()
    }
}
