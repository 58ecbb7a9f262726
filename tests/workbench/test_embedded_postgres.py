"""The embedded PostgreSQL (pgserver) stops when the last process using it exits, also after a
process using it was killed: dead pids are pruned from pgserver's list of the cluster's users."""

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest
from django.conf import settings

from workbench.database import HANDLE_PIDS_FILE

# Attaches to the embedded server in the folder given, prints its pid and the postmaster's, and holds
# the server until its stdin closes.
HOLDER = """
import sys
from pathlib import Path
from workbench.database import embedded_database_url
data_dir = Path(sys.argv[1])
embedded_database_url(data_dir)
from pgserver.utils import PostmasterInfo
print(PostmasterInfo.read_from_pgdata(data_dir).pid, flush=True)
sys.stdin.read()
"""


class Holder:
    def __init__(self, data_dir: Path):
        self.process = subprocess.Popen(
            [sys.executable, "-c", HOLDER, str(data_dir)],
            cwd=settings.BASE_DIR,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        self.postmaster = int(self.process.stdout.readline())
        self.process.stdout.close()

    def exit_cleanly(self) -> int:
        self.process.stdin.close()
        return self.process.wait(timeout=60)

    def kill(self, sig: int) -> int:
        self.process.send_signal(sig)
        self.process.stdin.close()
        return self.process.wait(timeout=60)


@pytest.fixture
def data_dir(tmp_path):
    """A cluster of the test's own; a server a failed test leaves running is shut down."""
    data_dir = tmp_path / "pgdata"
    yield data_dir
    postmaster = data_dir / "postmaster.pid"
    if postmaster.exists():
        psutil.Process(int(postmaster.read_text().split()[0])).send_signal(signal.SIGINT)


def holders(data_dir: Path) -> list[int]:
    return json.loads((data_dir / HANDLE_PIDS_FILE).read_text())


def stopped(postmaster: int, data_dir: Path) -> bool:
    for _ in range(100):
        if not psutil.pid_exists(postmaster) and not (data_dir / "postmaster.pid").exists():
            return True
        time.sleep(0.1)
    return False


def test_the_server_stops_after_the_next_clean_exit_when_a_holder_was_killed(data_dir):
    first, second = Holder(data_dir), Holder(data_dir)
    assert first.postmaster == second.postmaster
    assert second.kill(signal.SIGKILL) == -signal.SIGKILL
    assert second.process.pid in holders(data_dir)  # the killed process could not remove itself
    assert first.exit_cleanly() == 0
    assert stopped(first.postmaster, data_dir)
    assert holders(data_dir) == []

    # The only holder killed: the server keeps running until the next process attaches and exits.
    alone = Holder(data_dir)
    assert alone.kill(signal.SIGKILL) == -signal.SIGKILL
    assert psutil.pid_exists(alone.postmaster)
    assert holders(data_dir) == [alone.process.pid]
    after = Holder(data_dir)
    assert after.postmaster == alone.postmaster
    assert holders(data_dir) == [after.process.pid]
    assert after.exit_cleanly() == 0
    assert stopped(after.postmaster, data_dir)


def test_sigterm_ends_a_holder_through_its_exit_handlers(data_dir):
    holder = Holder(data_dir)
    assert holder.kill(signal.SIGTERM) == 128 + signal.SIGTERM
    assert stopped(holder.postmaster, data_dir)
    assert holders(data_dir) == []
