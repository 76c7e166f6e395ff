"""TLS and bearer tokens for Spark Connect (issue 15), through the CLI.

The connection-string parameters follow Spark Connect's client convention (`use_ssl`,
`token`, `user_id`). A plain TCP listener on loopback records what the client sends first, so
the tests see that TLS is really attempted (a TLS handshake record) and never fall back to
plaintext; the local Spark Connect server (plaintext) is used to check that a TLS client
fails with a clear error rather than hanging or sending the query in clear, and that a token
sent to localhost over plaintext (allowed there only) does not disturb a call.
"""
import socket
import threading


class FirstBytes:
    """Accepts connections on 127.0.0.1, keeps the first bytes of the first, closes each."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.port = self.sock.getsockname()[1]
        self.first = None
        self.got = threading.Event()
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            with conn:
                data = conn.recv(16)
            if self.first is None:
                self.first = data
                self.got.set()

    def close(self):
        self.sock.close()


def test_use_ssl_sends_a_tls_client_hello_and_fails_clearly(amlgraph):
    listener = FirstBytes()
    try:
        p = amlgraph("spark-sql", "SELECT 1", "--spark-remote", f"sc://127.0.0.1:{listener.port}/;use_ssl=true",
                     "--out", "-", check=False)
        assert listener.got.wait(60)
    finally:
        listener.close()
    # TLS record header: content type 22 (handshake), protocol major version 3.
    assert listener.first[:2] == b"\x16\x03", listener.first
    assert p.returncode == 1, p.stderr
    assert f"127.0.0.1:{listener.port} (TLS)" in p.stderr and "Traceback" not in p.stderr


def test_a_token_is_never_sent_in_clear_to_another_host(amlgraph):
    p = amlgraph("spark-sql", "SELECT 1", "--spark-remote", "sc://spark.example:15002/;token=s3cr3t;use_ssl=false",
                 "--out", "-", check=False)
    assert p.returncode == 1
    assert "TLS" in p.stderr and "s3cr3t" not in p.stderr
    # With use_ssl=true a token goes over TLS even to loopback: the listener sees a handshake.
    listener = FirstBytes()
    try:
        p = amlgraph("spark-sql", "SELECT 1", "--spark-remote", f"sc://127.0.0.1:{listener.port}/;use_ssl=true;token=s3cr3t",
                     "--out", "-", check=False)
        assert listener.got.wait(60)
    finally:
        listener.close()
    assert listener.first[:2] == b"\x16\x03"
    assert p.returncode == 1 and "s3cr3t" not in p.stderr


def test_a_plaintext_server_refuses_a_tls_client_with_a_clear_error(amlgraph, spark_remote):
    p = amlgraph("spark-sql", "SELECT 1", "--spark-remote", spark_remote.rstrip("/") + "/;use_ssl=true",
                 "--out", "-", check=False)
    assert p.returncode == 1, p.stdout + p.stderr
    assert "(TLS)" in p.stderr and "cannot reach" in p.stderr


def test_token_and_user_id_reach_a_local_server(amlgraph, spark_remote):
    # On loopback a token goes over plaintext (PySpark's rule); the server, which checks no
    # token, answers the call made with the bearer header, user_id and an extra header.
    remote = spark_remote.rstrip("/") + "/;token=local-test;user_id=aml_ops;x-trace-id=abc"
    p = amlgraph("spark-sql", "SELECT 41 + 1 AS x", "--spark-remote", remote, "--out", "-")
    assert p.stdout.strip().splitlines() == ["x", "42"], p.stdout
