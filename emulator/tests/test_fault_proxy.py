"""EMULATOR TEST TOOLING (not product code): the fault-injecting proxy started by `launcher.py --faults`."""

from __future__ import annotations

import json
import re
import signal
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import boto3
import botocore.retries.standard
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError, ConnectionClosedError, ReadTimeoutError
from conftest import Emulator, cbor_client, start_emulator, stop_emulator

RAW = {"total_max_attempts": 1}  # retries off: every fault reaches the test


class Proxied:
    def __init__(self, emulator: Emulator) -> None:
        self.emulator = emulator
        self.control_line = emulator.lines[1]  # printed right after READY
        self.control_url = self.control_line.split(" ", 1)[1]
        self.url = emulator.url

    def client(self, service: str, region: str = "us-east-1", retries: dict[str, Any] | None = None, **config: Any) -> Any:
        return boto3.client(
            service,
            region_name=region,
            endpoint_url=self.url,
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
            config=Config(retries=retries or RAW, **config),
        )

    def control(self, method: str, body: Any = None) -> tuple[int, dict[str, Any]]:
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.control_url, data=data, method=method)
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status, json.loads(response.read())
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read())

    def rules(self, **rules: Any) -> dict[str, Any]:
        status, state = self.control("POST", rules)
        assert status == 200, state
        return state

    def counters(self) -> dict[str, Any]:
        return self.control("GET")[1]["counters"]


@pytest.fixture(scope="module")
def proxied_emulator() -> Iterator[Proxied]:
    started = start_emulator(EMULATOR_FAULTS="1")
    yield Proxied(started)
    stop_emulator(started)


@pytest.fixture()
def proxy(proxied_emulator: Proxied) -> Proxied:
    proxied_emulator.rules()  # no rules, fresh counters
    assert proxied_emulator.emulator.reset() == 200  # moto's own control API passes through
    return proxied_emulator


# One cheap read per service, and the error code botocore reads from each protocol's throttling answer.
READS: dict[str, tuple[Callable[[Any], Any], str]] = {
    "rds": (lambda c: c.describe_db_instances(), "Throttling"),  # Query
    "cloudwatch": (lambda c: c.describe_alarms(), "Throttling"),  # JSON 1.0 (botocore's choice), query-compatible header
    "dynamodb": (lambda c: c.list_tables(), "ThrottlingException"),  # JSON 1.0
    "route53": (lambda c: c.list_hosted_zones(), "Throttling"),  # REST-XML
    "sns": (lambda c: c.list_topics(), "Throttling"),  # Query
    "events": (lambda c: c.list_event_buses(), "ThrottlingException"),  # JSON 1.1
}


def test_launcher_prints_ready_and_control_lines_of_the_proxy(proxy: Proxied) -> None:
    assert re.fullmatch(r"EMULATOR_READY http://127\.0\.0\.1:\d+", proxy.emulator.ready_line)
    assert proxy.control_line == f"EMULATOR_CONTROL {proxy.url}/_faults"
    status, state = proxy.control("GET")
    assert status == 200
    assert state["rules"]["blackhole"] == [] and state["rules"]["errorRate"] == 0


def test_pass_through_for_every_service_of_the_failover(proxy: Proxied) -> None:
    rds = proxy.client("rds", "us-west-2")
    rds.create_db_instance(
        DBInstanceIdentifier="db",
        Engine="mysql",
        DBInstanceClass="db.t3.micro",
        AllocatedStorage=20,
        MasterUsername="admin",
        MasterUserPassword="password123",
    )
    assert [d["DBInstanceIdentifier"] for d in rds.describe_db_instances()["DBInstances"]] == ["db"]
    assert proxy.client("rds", "us-east-1").describe_db_instances()["DBInstances"] == []  # regions stay apart

    cloudwatch = proxy.client("cloudwatch")
    cloudwatch.put_metric_alarm(
        AlarmName="lag",
        Namespace="AWS/RDS",
        MetricName="ReplicaLag",
        Statistic="Maximum",
        Period=60,
        EvaluationPeriods=1,
        Threshold=30,
        ComparisonOperator="GreaterThanThreshold",
    )
    assert [a["AlarmName"] for a in cloudwatch.describe_alarms()["MetricAlarms"]] == ["lag"]

    dynamodb = proxy.client("dynamodb")
    dynamodb.create_table(
        TableName="journal",
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    dynamodb.put_item(TableName="journal", Item={"pk": {"S": "run-1"}, "state": {"S": "PROMOTING"}})
    assert dynamodb.get_item(TableName="journal", Key={"pk": {"S": "run-1"}})["Item"]["state"] == {"S": "PROMOTING"}

    route53 = proxy.client("route53")
    zone = route53.create_hosted_zone(Name="example.com", CallerReference="z")["HostedZone"]["Id"]
    route53.change_resource_record_sets(
        HostedZoneId=zone,
        ChangeBatch={
            "Changes": [
                {
                    "Action": "UPSERT",
                    "ResourceRecordSet": {
                        "Name": "db.example.com",
                        "Type": "CNAME",
                        "TTL": 5,
                        "ResourceRecords": [{"Value": "primary.example.com"}],
                    },
                }
            ]
        },
    )
    records = route53.list_resource_record_sets(HostedZoneId=zone)["ResourceRecordSets"]
    assert any(r["Name"] == "db.example.com." for r in records)

    sns = proxy.client("sns")
    topic = sns.create_topic(Name="failover")["TopicArn"]
    assert sns.publish(TopicArn=topic, Message="hello")["MessageId"]

    events = proxy.client("events")
    events.put_rule(Name="failed", EventPattern=json.dumps({"source": ["aws.rds"]}))
    assert events.describe_rule(Name="failed")["Name"] == "failed"
    assert events.put_events(Entries=[{"Source": "failover", "DetailType": "t", "Detail": "{}"}])["FailedEntryCount"] == 0

    counters = proxy.counters()
    assert counters["requests"] == counters["forwarded"] > 0
    assert sum(counters["faults"].values()) == 0
    assert set(counters["byService"]) == {"rds", "monitoring", "dynamodb", "route53", "sns", "events"}
    assert counters["byOperation"]["route53:ChangeResourceRecordSets"]["forwarded"] == 1
    assert counters["byOperation"]["dynamodb:PutItem"]["forwarded"] == 1
    assert counters["byOperation"]["monitoring:PutMetricAlarm"]["forwarded"] == 1
    assert counters["byRegion"]["us-west-2"]["requests"] == 2


def test_blackholed_region_hangs_while_other_regions_answer(proxy: Proxied) -> None:
    proxy.rules(blackhole=["us-east-1"])
    timeouts = {"read_timeout": 0.5, "connect_timeout": 1}

    started = time.monotonic()
    with pytest.raises(ReadTimeoutError):
        proxy.client("rds", "us-east-1", **timeouts).describe_db_instances()
    with pytest.raises(ReadTimeoutError):  # Route 53's control plane is in us-east-1, whatever the client signs for
        proxy.client("route53", "eu-west-1", **timeouts).list_hosted_zones()
    assert time.monotonic() - started < 5

    assert proxy.client("rds", "us-west-2", **timeouts).describe_db_instances()["DBInstances"] == []
    assert proxy.client("dynamodb", "us-west-2", **timeouts).list_tables()["TableNames"] == []

    counters = proxy.counters()
    assert counters["faults"]["blackhole"] == 2
    assert counters["byRegion"]["us-east-1"]["blackhole"] == 2
    assert counters["byService"]["route53"]["blackhole"] == 1
    assert counters["byRegion"]["us-west-2"]["forwarded"] == 2


def test_held_connection_is_closed_unanswered_when_the_rule_goes_or_the_cap_passes(proxy: Proxied) -> None:
    proxy.rules(blackhole=["us-east-1"])
    outcome: list[BaseException] = []

    def call() -> None:
        try:
            proxy.client("sns", read_timeout=10).list_topics()
        except BaseException as error:  # noqa: BLE001 - handed to the test thread
            outcome.append(error)

    waiting = threading.Thread(target=call)
    started = time.monotonic()
    waiting.start()
    deadline = time.monotonic() + 5
    while proxy.counters()["heldConnections"] != 1 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert proxy.control("DELETE")[0] == 200  # the region "recovers"
    waiting.join(5)
    assert not waiting.is_alive() and time.monotonic() - started < 5
    assert len(outcome) == 1 and isinstance(outcome[0], ConnectionClosedError)

    proxy.rules(blackhole=["us-east-1"], blackholeSeconds=0.3)
    started = time.monotonic()
    with pytest.raises(ConnectionClosedError):
        proxy.client("sns", read_timeout=10).list_topics()
    assert 0.25 < time.monotonic() - started < 5
    assert proxy.counters()["heldConnections"] == 0


@pytest.mark.parametrize("service", sorted(READS))
def test_errors_are_in_each_protocols_wire_format(proxy: Proxied, service: str) -> None:
    read, throttling_code = READS[service]
    client = proxy.client(service)

    proxy.rules(errorRate=1.0, errorKinds=["throttling"])
    with pytest.raises(ClientError) as throttled:
        read(client)
    assert throttled.value.response["Error"]["Code"] == throttling_code
    assert throttled.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400

    proxy.rules(errorRate=1.0, errorKinds=["5xx"])
    with pytest.raises(ClientError) as unavailable:
        read(client)
    assert unavailable.value.response["Error"]["Code"] == "ServiceUnavailable"
    assert unavailable.value.response["ResponseMetadata"]["HTTPStatusCode"] == 503


def test_cloudwatch_over_cbor_passes_through_and_its_errors_are_cbor(proxy: Proxied, tmp_path: Path) -> None:
    # What the AWS SDK for Java sends CloudWatch; botocore's own CloudWatch client (above) talks JSON 1.0.
    cloudwatch = cbor_client(proxy.url, tmp_path, config=Config(retries=RAW))
    cloudwatch.put_metric_alarm(AlarmName="lag", Namespace="AWS/RDS", MetricName="ReplicaLag", Statistic="Maximum",
                                Period=60, EvaluationPeriods=1, Threshold=30, ComparisonOperator="GreaterThanThreshold")
    assert [a["AlarmName"] for a in cloudwatch.describe_alarms()["MetricAlarms"]] == ["lag"]

    proxy.rules(errorRate=1.0, errorKinds=["throttling"])
    with pytest.raises(ClientError) as throttled:
        cloudwatch.describe_alarms()
    assert throttled.value.response["Error"]["Code"] == "Throttling"  # from x-amzn-query-error
    assert throttled.value.response["ResponseMetadata"]["HTTPHeaders"]["content-type"] == "application/cbor"
    proxy.rules(errorRate=1.0, errorKinds=["5xx"])
    with pytest.raises(ClientError) as unavailable:
        cloudwatch.describe_alarms()
    assert unavailable.value.response["Error"]["Code"] == "ServiceUnavailable"
    assert unavailable.value.response["ResponseMetadata"]["HTTPStatusCode"] == 503
    assert proxy.counters()["byOperation"]["monitoring:DescribeAlarms"]["5xx"] == 1  # named from the CBOR path


def test_error_rate_is_seeded_and_close_to_the_rate(proxy: Proxied) -> None:
    clients = {service: proxy.client(service) for service in READS}

    def run(calls: int) -> list[str]:
        outcomes = []
        for i in range(calls):
            service = sorted(READS)[i % len(READS)]
            try:
                READS[service][0](clients[service])
                outcomes.append("ok")
            except ClientError as error:
                code = error.response["Error"]["Code"]
                assert code in {"Throttling", "ThrottlingException", "ServiceUnavailable"}, code
                outcomes.append(code)
        return outcomes

    proxy.rules(errorRate=0.3, errorKinds=["throttling", "5xx"], seed=42)
    outcomes = run(200)
    failed = sum(o != "ok" for o in outcomes)
    assert 0.2 <= failed / 200 <= 0.4
    counters = proxy.counters()
    assert counters["requests"] == 200
    assert counters["faults"]["throttling"] > 0 and counters["faults"]["5xx"] > 0
    assert counters["faults"]["throttling"] + counters["faults"]["5xx"] == failed
    assert counters["forwarded"] == 200 - failed

    proxy.rules(errorRate=0.3, errorKinds=["throttling", "5xx"], seed=42)
    assert run(30) == outcomes[:30]  # same seed, same sequence


def test_standard_sdk_retries_ride_out_a_30_percent_error_rate(proxy: Proxied, monkeypatch: pytest.MonkeyPatch) -> None:
    # Same retry decisions as botocore's standard mode, without its (up to 1 s per attempt) jittered sleeps.
    monkeypatch.setattr(botocore.retries.standard.ExponentialBackoff, "delay_amount", lambda self, context: 0.0)
    retrying = {"mode": "standard", "max_attempts": 10}
    clients = {service: proxy.client(service, retries=retrying) for service in READS}
    proxy.rules(errorRate=0.3, seed=7)

    retried = 0
    for i in range(36):
        service = sorted(READS)[i % len(READS)]
        response = READS[service][0](clients[service])
        retried += response["ResponseMetadata"]["RetryAttempts"]

    counters = proxy.counters()
    assert counters["forwarded"] == 36
    assert retried == counters["faults"]["throttling"] + counters["faults"]["5xx"] > 5


def test_permanent_fault_is_access_denied_every_time_and_not_retried(proxy: Proxied) -> None:
    proxy.rules(
        permanent=[
            {"service": "rds", "action": "PromoteReadReplica"},
            {"service": "route53", "action": "ChangeResourceRecordSets"},
            {"service": "dynamodb", "action": "PutItem", "region": "us-west-2"},
        ]
    )
    rds = proxy.client("rds", "us-west-2", retries={"mode": "standard", "max_attempts": 5})
    for _ in range(3):
        with pytest.raises(ClientError) as denied:
            rds.promote_read_replica(DBInstanceIdentifier="replica")
        assert denied.value.response["Error"]["Code"] == "AccessDenied"
        assert denied.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403
        assert denied.value.response["ResponseMetadata"]["RetryAttempts"] == 0
    assert rds.describe_db_instances()["DBInstances"] == []  # other actions pass

    route53 = proxy.client("route53")
    zone = route53.create_hosted_zone(Name="example.com", CallerReference="z")["HostedZone"]["Id"]
    change = {"Changes": [{"Action": "UPSERT", "ResourceRecordSet": {"Name": "a.example.com", "Type": "A", "TTL": 5, "ResourceRecords": [{"Value": "10.0.0.1"}]}}]}
    with pytest.raises(ClientError) as denied:
        route53.change_resource_record_sets(HostedZoneId=zone, ChangeBatch=change)
    assert denied.value.response["Error"]["Code"] == "AccessDenied"

    item = {"TableName": "t", "Item": {"pk": {"S": "x"}}}
    with pytest.raises(ClientError) as denied:
        proxy.client("dynamodb", "us-west-2").put_item(**item)
    assert denied.value.response["Error"]["Code"] == "AccessDeniedException"
    with pytest.raises(ClientError) as missing:  # other region: forwarded to moto, which has no such table
        proxy.client("dynamodb", "us-east-1").put_item(**item)
    assert missing.value.response["Error"]["Code"] == "ResourceNotFoundException"

    counters = proxy.counters()
    assert counters["faults"]["permanent"] == 5
    assert counters["byOperation"]["rds:PromoteReadReplica"]["permanent"] == 3


def test_a_lost_answer_is_applied_then_answered_503_and_only_the_next_count_requests_lose_theirs(proxy: Proxied) -> None:
    dynamodb = proxy.client("dynamodb", "us-west-2")
    dynamodb.create_table(
        TableName="lease", KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}], BillingMode="PAY_PER_REQUEST",
    )
    proxy.rules(loseAnswers=[{"service": "dynamodb", "action": "UpdateItem", "count": 1}])
    take = {
        "TableName": "lease", "Key": {"pk": {"S": "STATE"}}, "UpdateExpression": "SET version = :next",
        "ConditionExpression": "attribute_not_exists(version)", "ExpressionAttributeValues": {":next": {"N": "1"}},
    }

    with pytest.raises(ClientError) as lost:
        dynamodb.update_item(**take)
    assert lost.value.response["ResponseMetadata"]["HTTPStatusCode"] == 503
    # applied all the same: the client's own retry now fails its condition on its own write
    assert dynamodb.get_item(TableName="lease", Key={"pk": {"S": "STATE"}})["Item"]["version"] == {"N": "1"}
    with pytest.raises(ClientError) as retried:
        dynamodb.update_item(**take)
    assert retried.value.response["Error"]["Code"] == "ConditionalCheckFailedException"

    counters = proxy.counters()
    assert counters["faults"]["lost-answer"] == 1
    assert counters["byOperation"]["dynamodb:UpdateItem"] == {**counters["byOperation"]["dynamodb:UpdateItem"], "requests": 2, "forwarded": 1, "lost-answer": 1}
    assert proxy.control("GET")[1]["rules"]["loseAnswers"][0]["count"] == 0


def test_delete_clears_the_rules_and_keeps_the_counters(proxy: Proxied) -> None:
    rds = proxy.client("rds")
    proxy.rules(errorRate=1.0, blackhole=["eu-west-1"], permanent=[{"service": "sns"}])
    with pytest.raises(ClientError):
        rds.describe_db_instances()

    status, state = proxy.control("DELETE")

    assert status == 200
    assert state["rules"]["errorRate"] == 0 and state["rules"]["blackhole"] == [] and state["rules"]["permanent"] == []
    assert state["counters"]["requests"] == 1 and state["counters"]["faults"]["throttling"] + state["counters"]["faults"]["5xx"] == 1
    assert rds.describe_db_instances()["DBInstances"] == []
    assert proxy.client("sns", "eu-west-1").list_topics()["Topics"] == []


@pytest.mark.parametrize(
    "body",
    [{"errorRate": 1.5}, {"errorKinds": ["timeout"]}, {"blackhole": "us-east-1"}, {"permanent": [{"action": "X"}]}, {"bogus": 1},
     {"loseAnswers": [{"service": "dynamodb", "count": 0}]}, {"loseAnswers": {"service": "dynamodb"}}],
)
def test_control_api_rejects_malformed_rules(proxy: Proxied, body: dict[str, Any]) -> None:
    status, answer = proxy.control("POST", body)
    assert status == 400 and answer["error"]
    assert proxy.control("GET")[1]["rules"]["errorRate"] == 0  # unchanged


def test_signal_stops_proxy_and_moto_quietly_even_with_a_held_connection() -> None:
    own = Proxied(start_emulator(EMULATOR_FAULTS="1"))
    own.rules(blackhole=["us-east-1"])
    hanging = threading.Thread(target=lambda: pytest.raises(Exception, own.client("rds", read_timeout=30).describe_db_instances), daemon=True)
    hanging.start()
    deadline = time.monotonic() + 5
    while own.counters()["heldConnections"] != 1 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert own.counters()["heldConnections"] == 1

    own.emulator.process.send_signal(signal.SIGTERM)

    assert own.emulator.process.wait(timeout=10) == 0
    assert own.emulator.process.stdout.read() == ""  # type: ignore[union-attr]  # READY, CONTROL and DNS were the only lines
    assert own.emulator.process.stderr.read() == ""  # type: ignore[union-attr]
