"""EMULATOR CODE (not product code): the RDS events at the end of an Aurora global failover or switchover."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import GLOBAL_FAILOVER_SECONDS, Emulator, start_emulator, stop_emulator
from test_global_endpoint_dns import query

DNS_SECONDS = 0.6
ACCOUNT = "123456789012"
GLOBAL = "orders-aurora"
EAST, WEST = "orders-aurora-east", "orders-aurora-west"  # the product's sample events name orders-aurora-west
EAST_ARN = f"arn:aws:rds:us-east-1:{ACCOUNT}:cluster:{EAST}"
WEST_ARN = f"arn:aws:rds:us-west-2:{ACCOUNT}:cluster:{WEST}"
SAMPLES = Path(__file__).resolve().parents[2] / "events"
# The product's rule (sam-template.yaml, RdsEventFunction GlobalFailoverOutcome), on the default bus.
SAM_PATTERN = {
    "source": ["aws.rds"],
    "detail-type": ["RDS DB Cluster Event"],
    "account": [ACCOUNT],
    "detail": {"EventID": ["RDS-EVENT-0185", "RDS-EVENT-0238", "RDS-EVENT-0186", "RDS-EVENT-0187", "RDS-EVENT-0239"]},
}
DNS_PATTERN = {"source": ["aws.rds"], "detail": {"EventID": ["RDS-EVENT-0397"]}}


@pytest.fixture(scope="module")
def emulator() -> Iterator[Emulator]:
    started = start_emulator(EMULATOR_GLOBAL_ENDPOINT_DNS_SECONDS=str(DNS_SECONDS))
    yield started
    stop_emulator(started)


class Queues:
    """Queues behind rules on the default bus: `sam` (the product's pattern) and `dns` (0397) per Region."""

    def __init__(self, emulator: Emulator) -> None:
        self.queues: dict[tuple[str, str], tuple[Any, str]] = {}
        for region in ("us-east-1", "us-west-2"):
            events, sqs = emulator.client("events", region), emulator.client("sqs", region)
            for name, pattern in (("sam", SAM_PATTERN), ("dns", DNS_PATTERN)):
                url = sqs.create_queue(QueueName=f"rds-{name}")["QueueUrl"]
                arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
                events.put_rule(Name=f"rds-{name}", EventPattern=json.dumps(pattern))
                events.put_targets(Rule=f"rds-{name}", Targets=[{"Id": "queue", "Arn": arn}])
                self.queues[(region, name)] = (sqs, url)

    def take(self, region: str, name: str) -> list[dict[str, Any]]:
        sqs, url = self.queues[(region, name)]
        messages = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", [])
        for message in messages:
            sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])
        return [json.loads(message["Body"]) for message in messages]

    def wait(self, region: str, name: str, seconds: float) -> tuple[dict[str, Any], float]:
        """The one event that arrives within `seconds`, and when (monotonic), polling only SQS."""
        deadline = time.monotonic() + seconds
        while not (events := self.take(region, name)):
            assert time.monotonic() < deadline, f"no event on {region}/{name} within {seconds} s"
            time.sleep(0.02)
        assert len(events) == 1, events
        return events[0], time.monotonic()


def global_db(emulator: Emulator) -> tuple[Any, Any]:
    """orders-aurora: primary orders-aurora-east in us-east-1, secondary orders-aurora-west in us-west-2."""
    east, west = emulator.client("rds", "us-east-1"), emulator.client("rds", "us-west-2")
    east.create_global_cluster(GlobalClusterIdentifier=GLOBAL, Engine="aurora-postgresql", EngineVersion="15.4")
    east.create_db_cluster(DBClusterIdentifier=EAST, Engine="aurora-postgresql", EngineVersion="15.4",
                           MasterUsername="admin", MasterUserPassword="password123", GlobalClusterIdentifier=GLOBAL)
    west.create_db_cluster(DBClusterIdentifier=WEST, Engine="aurora-postgresql", EngineVersion="15.4",
                           GlobalClusterIdentifier=GLOBAL)
    return east, west


def endpoints(east: Any, west: Any) -> tuple[str, str, str]:
    """(the global writer endpoint, east's cluster endpoint, west's)."""
    return (
        east.describe_global_clusters(GlobalClusterIdentifier=GLOBAL)["GlobalClusters"][0]["Endpoint"],
        east.describe_db_clusters(DBClusterIdentifier=EAST)["DBClusters"][0]["Endpoint"],
        west.describe_db_clusters(DBClusterIdentifier=WEST)["DBClusters"][0]["Endpoint"],
    )


def assert_like_sample(event: dict[str, Any], sample_file: str) -> None:
    """Equal to the sample, field order included, but for the event's own id and times."""
    sample = json.loads((SAMPLES / sample_file).read_text())
    assert list(event) == list(sample)
    assert list(event["detail"]) == list(sample["detail"])
    assert re.fullmatch(r"[0-9a-f-]{36}", event["id"])
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", event["time"])
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", event["detail"]["Date"])
    assert event["detail"]["Date"].startswith(event["time"][:-1]), "time and Date are the same instant"
    mine = dict(event, id=None, time=None, detail=dict(event["detail"], Date=None))
    theirs = dict(sample, id=None, time=None, detail=dict(sample["detail"], Date=None))
    assert mine == theirs


def test_a_failover_emits_0238_by_itself_then_0397_once_the_dns_has_moved(emulator: Emulator) -> None:
    assert emulator.reset() == 200
    queues = Queues(emulator)
    east, west = global_db(emulator)
    endpoint, east_endpoint, west_endpoint = endpoints(east, west)

    started = time.monotonic()
    west.failover_global_cluster(GlobalClusterIdentifier=GLOBAL, TargetDbClusterIdentifier=WEST_ARN, AllowDataLoss=True)
    # From here on no RDS request: only SQS polls and DNS queries, which finish nothing in aurora_global.
    completed, completed_at = queues.wait("us-west-2", "sam", GLOBAL_FAILOVER_SECONDS + 2)

    assert completed_at - started >= GLOBAL_FAILOVER_SECONDS
    assert_like_sample(completed, "rds-global-failover-completed.json")
    assert completed["detail"]["Message"] == "Global failover to DB cluster orders-aurora-west in Region us-west-2 completed."
    # Not before the DNS has moved: the endpoint still names the old writer and no 0397 is out yet.
    assert query(emulator.dns_address, endpoint)[1][0][2] == east_endpoint
    assert queues.take("us-west-2", "dns") == []

    changed, changed_at = queues.wait("us-west-2", "dns", DNS_SECONDS + 2)

    assert changed_at - completed_at >= DNS_SECONDS - 0.1
    assert query(emulator.dns_address, endpoint)[1][0][2] == west_endpoint
    assert changed["detail"]["EventID"] == "RDS-EVENT-0397"
    assert changed["detail"]["Message"] == "Aurora finished changing the DNS name that the global writer endpoint resolves to."
    assert changed["resources"] == [WEST_ARN] and changed["detail"]["SourceArn"] == WEST_ARN
    assert changed["region"] == "us-west-2" and changed["account"] == ACCOUNT
    assert list(changed) == list(completed) and list(changed["detail"]) == list(completed["detail"])
    # Each once, in the promoted cluster's Region only; the product's pattern does not take 0397.
    time.sleep(0.2)
    assert queues.take("us-west-2", "sam") == [] and queues.take("us-west-2", "dns") == []
    assert queues.take("us-east-1", "sam") == [] and queues.take("us-east-1", "dns") == []
    after = west.describe_global_clusters(GlobalClusterIdentifier=GLOBAL)["GlobalClusters"][0]
    assert {m["DBClusterArn"]: m["IsWriter"] for m in after["GlobalClusterMembers"]} == {EAST_ARN: False, WEST_ARN: True}


def test_a_switchover_emits_0185_then_0397(emulator: Emulator) -> None:
    assert emulator.reset() == 200
    queues = Queues(emulator)
    east, west = global_db(emulator)

    east.switchover_global_cluster(GlobalClusterIdentifier=GLOBAL, TargetDbClusterIdentifier=WEST_ARN)
    finished, finished_at = queues.wait("us-west-2", "sam", GLOBAL_FAILOVER_SECONDS + 2)
    changed, changed_at = queues.wait("us-west-2", "dns", DNS_SECONDS + 2)

    assert_like_sample(finished, "rds-switchover-finished.json")
    assert finished["detail"]["Message"] == "Global switchover to DB cluster orders-aurora-west in Region us-west-2 finished."
    assert changed["detail"]["EventID"] == "RDS-EVENT-0397"
    assert changed_at - finished_at >= DNS_SECONDS - 0.1

    # Switching back: the events now come from orders-aurora-east, in us-east-1.
    west.switchover_global_cluster(GlobalClusterIdentifier=GLOBAL, TargetDbClusterIdentifier=EAST_ARN)
    back, _ = queues.wait("us-east-1", "sam", GLOBAL_FAILOVER_SECONDS + 2)
    assert back["detail"]["SourceArn"] == EAST_ARN and back["region"] == "us-east-1"
    assert back["detail"]["Message"] == "Global switchover to DB cluster orders-aurora-east in Region us-east-1 finished."
    assert queues.wait("us-east-1", "dns", DNS_SECONDS + 2)[0]["resources"] == [EAST_ARN]
    assert queues.take("us-west-2", "sam") == [] and queues.take("us-west-2", "dns") == []


def test_a_reset_drops_an_event_still_due(emulator: Emulator) -> None:
    assert emulator.reset() == 200
    queues = Queues(emulator)
    east, west = global_db(emulator)
    east.switchover_global_cluster(GlobalClusterIdentifier=GLOBAL, TargetDbClusterIdentifier=WEST_ARN)
    queues.wait("us-west-2", "sam", GLOBAL_FAILOVER_SECONDS + 2)

    assert emulator.reset() == 200  # 0397 was still due
    queues = Queues(emulator)
    time.sleep(DNS_SECONDS + 0.3)

    assert queues.take("us-west-2", "dns") == []


def test_emulator_rds_events_0_emits_nothing_but_operations_still_end_by_themselves() -> None:
    emulator = start_emulator(EMULATOR_RDS_EVENTS="0", EMULATOR_GLOBAL_ENDPOINT_DNS_SECONDS=str(DNS_SECONDS))
    try:
        queues = Queues(emulator)
        east, west = global_db(emulator)
        endpoint, _, west_endpoint = endpoints(east, west)

        west.failover_global_cluster(GlobalClusterIdentifier=GLOBAL, TargetDbClusterIdentifier=WEST_ARN, AllowDataLoss=True)
        # the ticker still ends it: the DNS follows the new writer with no RDS request in between
        deadline = time.monotonic() + GLOBAL_FAILOVER_SECONDS + DNS_SECONDS + 3
        while query(emulator.dns_address, endpoint)[1][0][2] != west_endpoint:
            assert time.monotonic() < deadline, "the failover never ended by itself"
            time.sleep(0.05)
        time.sleep(0.2)

        for region in ("us-east-1", "us-west-2"):
            assert queues.take(region, "sam") == [] and queues.take(region, "dns") == []
    finally:
        stop_emulator(emulator)
