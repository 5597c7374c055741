"""EMULATOR CODE (not product code): the launcher's process contract."""

from __future__ import annotations

import re
import signal

import pytest
from conftest import Emulator, start_emulator


def test_ready_line_names_a_listening_loopback_url(emulator: Emulator) -> None:
    assert re.fullmatch(r"EMULATOR_READY http://127\.0\.0\.1:\d+", emulator.ready_line)
    assert int(emulator.url.rsplit(":", 1)[1]) > 0
    buckets = emulator.client("s3", "us-east-1").list_buckets()
    assert buckets["ResponseMetadata"]["HTTPStatusCode"] == 200


def test_reset_still_clears_state(emulator: Emulator) -> None:
    rds = emulator.client("rds", "us-east-1")
    rds.create_db_instance(
        DBInstanceIdentifier="to-be-reset",
        Engine="mysql",
        DBInstanceClass="db.t3.micro",
        AllocatedStorage=20,
        MasterUsername="admin",
        MasterUserPassword="password123",
    )
    assert len(rds.describe_db_instances()["DBInstances"]) == 1

    assert emulator.reset() == 200

    assert rds.describe_db_instances()["DBInstances"] == []


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_signal_stops_the_server_with_exit_code_0(signum: signal.Signals) -> None:
    own = start_emulator()
    own.client("rds", "us-east-1").describe_db_instances()

    own.process.send_signal(signum)

    assert own.process.wait(timeout=10) == 0
    assert own.process.stdout.read() == ""  # type: ignore[union-attr]  # READY and DNS were the only lines
    assert own.process.stderr.read() == ""  # type: ignore[union-attr]  # quiet: no request log, no traceback
