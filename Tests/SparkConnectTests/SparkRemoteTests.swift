import Columnar
@testable import SparkConnect
import Dispatch
import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#endif

final class SparkRemoteTests: XCTestCase {
    func testParsesHostPortAndParameters() throws {
        let r = try SparkRemote(parsing: "sc://spark.example:15010/;user_id=ana;session_id=0b8f4c1e-2f49-4f0e-9d55-4c1f0f2a9a11")
        XCTAssertEqual(r.host, "spark.example")
        XCTAssertEqual(r.port, 15010)
        XCTAssertEqual(r.userID, "ana")
        XCTAssertEqual(r.sessionID, "0b8f4c1e-2f49-4f0e-9d55-4c1f0f2a9a11")
        XCTAssertEqual(try SparkRemote(parsing: "sc://localhost").port, 15002)
        XCTAssertEqual(try SparkRemote(parsing: "sc://[::1]:4000").host, "::1")
    }

    func testRejectsBadStrings() {
        for bad in ["http://x:1", "sc://", "sc://h:0", "sc://h:99999", "sc://h:x", "sc://h:1/path/;use_ssl=true",
                    "sc://h:1/;use_ssl=yes", "sc://h:1/;session_id=not-a-uuid", "sc://h:1/;token="] {
            XCTAssertThrowsError(try SparkRemote(parsing: bad), bad) { error in
                XCTAssertTrue("\(error)".contains(bad), "\(error)")
            }
        }
    }

    func testTLSAndTokenParameters() throws {
        // Spark Connect's connection-string convention: use_ssl turns TLS on, a token turns it on too.
        let tls = try SparkRemote(parsing: "sc://workspace.example:443/;use_ssl=true;user_id=ana;user_agent=aml_batch")
        XCTAssertTrue(tls.useTLS)
        XCTAssertNil(tls.token)
        XCTAssertEqual(tls.userID, "ana")
        XCTAssertEqual(tls.userAgent, "aml_batch")
        let token = try SparkRemote(parsing: "sc://workspace.example:443/;token=dapi-secret;user_id=ana")
        XCTAssertTrue(token.useTLS)
        XCTAssertEqual(token.token, "dapi-secret")
        XCTAssertFalse(token.description.contains("dapi-secret"))
        XCTAssertTrue(token.description.contains("TLS"))
        XCTAssertFalse(try SparkRemote(parsing: "sc://h:1/;use_ssl=false").useTLS)
        XCTAssertFalse(try SparkRemote(parsing: "sc://h:1").useTLS)
        // Parameter names are case-sensitive: USE_SSL is neither use_ssl nor a header name.
        XCTAssertThrowsError(try SparkRemote(parsing: "sc://h:1/;USE_SSL=true")) { XCTAssertTrue("\($0)".contains("case-sensitive"), "\($0)") }
        // Other parameters become headers (a gateway's cluster id); keep-alive tuning does not.
        let gateway = try SparkRemote(parsing: "sc://h:443/;token=t;x-databricks-cluster-id=0123-abc;grpc_keepalive_time_ms=30000")
        XCTAssertEqual(gateway.headers, [SparkRemote.Header(key: "x-databricks-cluster-id", value: "0123-abc")])
        XCTAssertThrowsError(try SparkRemote(parsing: "sc://h:1/;authorization=x"))
        // A token goes to another host only over TLS; to the loopback interface it goes as
        // PySpark sends it (plaintext unless use_ssl=true).
        XCTAssertTrue(try SparkRemote(parsing: "sc://localhost:15002/;token=t;use_ssl=true").useTLS)
        for local in ["sc://localhost:15002/;token=t", "sc://127.0.0.1:15002/;use_ssl=false;token=t", "sc://[::1]:15002/;token=t;use_ssl=false"] {
            let r = try SparkRemote(parsing: local)
            XCTAssertFalse(r.useTLS, local)
            XCTAssertEqual(r.token, "t", local)
        }
        for remote in ["sc://spark.example:15002/;token=s3cr3t;use_ssl=false", "sc://10.0.0.5:15002/;use_ssl=false;token=s3cr3t"] {
            XCTAssertThrowsError(try SparkRemote(parsing: remote), remote) { error in
                XCTAssertTrue("\(error)".contains("TLS"), "\(error)")
                XCTAssertFalse("\(error)".contains("s3cr3t"), "the token leaked into: \(error)")
            }
        }
        XCTAssertEqual(SparkRemote.redacted("sc://h/;token=abc;user_id=x;token=def"), "sc://h/;token=***;user_id=x;token=***")
    }

    func testTokenIsSentAsBearerMetadataAndUserIDInUserContext() throws {
        let client = try SparkConnectClient("sc://h:1/;token=abc123;user_id=ana;x-gateway-route=blue")
        XCTAssertEqual(Array(client.metadata[stringValues: "authorization"]), ["Bearer abc123"])
        XCTAssertEqual(Array(client.metadata[stringValues: "x-gateway-route"]), ["blue"])
        XCTAssertEqual(client.userContext.userID, "ana")
        XCTAssertTrue(Array(try SparkConnectClient("sc://h:1").metadata[stringValues: "authorization"]).isEmpty)
    }

    /// The client against a plain TCP listener on loopback that records what the client sends
    /// first: with use_ssl=true it must be a TLS handshake record (content type 22, version
    /// 3.x: a ClientHello), without it the HTTP/2 connection preface. The call itself fails
    /// (nothing answers), with an error naming the address.
    func testTLSIsAttemptedWhenAsked() throws {
        let tls = try FirstBytesListener()
        XCTAssertThrowsError(try SparkConnectClient("sc://127.0.0.1:\(tls.port)/;use_ssl=true").sparkVersion()) { error in
            guard case let .unreachable(address, _)? = error as? SparkConnectError else { return XCTFail("\(error)") }
            XCTAssertTrue(address.contains("127.0.0.1:\(tls.port)") && address.contains("TLS"), address)
        }
        let first = tls.firstBytes()
        XCTAssertGreaterThanOrEqual(first.count, 3, "nothing was sent")
        XCTAssertEqual(first.prefix(2), [0x16, 0x03], "not a TLS handshake record: \(first)")

        let plain = try FirstBytesListener()
        XCTAssertThrowsError(try SparkConnectClient("sc://127.0.0.1:\(plain.port)").sparkVersion())
        XCTAssertEqual(String(decoding: plain.firstBytes().prefix(3), as: UTF8.self), "PRI")
    }

    func testArrowReaderRejectsTruncatedAndOversizedInput() {
        // A continuation marker followed by a metadata length far beyond the bytes present.
        let oversized: [UInt8] = [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F, 1, 2, 3]
        XCTAssertThrowsError(try ArrowIPCReader.decode(oversized)) { XCTAssertTrue("\($0)".contains("exceeds"), "\($0)") }
        XCTAssertThrowsError(try ArrowIPCReader.decode([0xFF, 0xFF]))
        XCTAssertThrowsError(try ArrowIPCReader.decode([]))  // no schema
    }
}

/// A TCP listener on 127.0.0.1 (a free port) that accepts connections, keeps the first bytes
/// of the first one and closes every connection: stands in for a server that is not there.
final class FirstBytesListener: @unchecked Sendable {
    let port: Int
    private let fd: Int32
    private let lock = NSLock()
    private var bytes: [UInt8]?
    private let done = DispatchSemaphore(value: 0)

    init() throws {
        let s = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        addr.sin_port = 0
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        let ok = withUnsafeMutablePointer(to: &addr) { p in
            p.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(s, $0, len) == 0 && listen(s, 8) == 0 && getsockname(s, $0, &len) == 0 }
        }
        guard s >= 0, ok else { throw POSIXError(.EADDRINUSE) }
        fd = s
        port = Int(UInt16(bigEndian: addr.sin_port))
        Thread.detachNewThread { [self] in
            while true {
                let c = accept(s, nil, nil)
                if c < 0 { return }
                var buf = [UInt8](repeating: 0, count: 16)
                let n = read(c, &buf, buf.count)
                lock.lock()
                let first = bytes == nil
                if first { bytes = Array(buf.prefix(max(0, n))) }
                lock.unlock()
                close(c)
                if first { done.signal() }
            }
        }
    }

    /// The first bytes the first client sent (waits for the first connection).
    func firstBytes() -> [UInt8] {
        _ = done.wait(timeout: .now() + 60)
        lock.lock(); defer { lock.unlock() }
        return bytes ?? []
    }

    deinit { shutdown(fd, Int32(SHUT_RDWR)); close(fd) }
}
