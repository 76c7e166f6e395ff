"""One local Spark Connect server for the whole Spark suite, started and stopped by
scripts/spark_connect_server.sh (the finalizer stops it whatever happens)."""
import os
import subprocess
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "spark_connect_server.sh"


@pytest.fixture(scope="session")
def spark_remote(request):
    """The sc:// address of a running local Spark Connect server (local[2])."""
    state = tempfile.mkdtemp(prefix="amlgraph-spark-server-")
    request.addfinalizer(lambda: subprocess.run([str(SCRIPT), "stop", state], capture_output=True))
    # The watcher stops the server if this process dies without running its finalizers.
    env = dict(os.environ, SPARK_OWNER_PID=str(os.getpid()))
    proc = subprocess.run([str(SCRIPT), "start", state], capture_output=True, text=True, env=env)
    if proc.returncode != 0:
        pytest.fail(f"Spark Connect server did not start:\n{proc.stderr}")
    return proc.stdout.strip().splitlines()[-1]
