"""EMULATOR CODE (not product code): the launcher's process contract."""

from __future__ import annotations

import re
import signal

import pytest
from botocore.exceptions import ClientError
from conftest import Emulator, start_emulator, stop_emulator


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


def test_a_queue_may_be_purged_again_at_once(fresh: Emulator) -> None:
    # The fixtures empty the notification queues between histories (launcher.py says why the check is off).
    sqs = fresh.client("sqs", "us-east-1")
    queue = sqs.create_queue(QueueName="purged")["QueueUrl"]
    for _ in range(2):
        sqs.send_message(QueueUrl=queue, MessageBody="x")
        sqs.purge_queue(QueueUrl=queue)
    assert "Messages" not in sqs.receive_message(QueueUrl=queue)


def test_the_callers_setting_turns_aws_s_purge_limit_back_on() -> None:
    own = start_emulator(MOTO_SQS_ENFORCE_STRICT_QUEUE_PURGE_BEHAVIOUR="true")
    try:
        sqs = own.client("sqs", "us-east-1")
        queue = sqs.create_queue(QueueName="purged")["QueueUrl"]
        sqs.purge_queue(QueueUrl=queue)
        with pytest.raises(ClientError) as limited:
            sqs.purge_queue(QueueUrl=queue)
        assert "PurgeQueueInProgress" in limited.value.response["Error"]["Code"]
    finally:
        stop_emulator(own)


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_signal_stops_the_server_with_exit_code_0(signum: signal.Signals) -> None:
    own = start_emulator()
    own.client("rds", "us-east-1").describe_db_instances()

    own.process.send_signal(signum)

    assert own.process.wait(timeout=10) == 0
    assert own.process.stdout.read() == ""  # type: ignore[union-attr]  # READY and DNS were the only lines
    assert own.process.stderr.read() == ""  # type: ignore[union-attr]  # quiet: no request log, no traceback
