"""EMULATOR CODE (not product code): Route 53 health checks following CloudWatch alarms, and TestDNSAnswer."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError
from conftest import Emulator, start_emulator, stop_emulator

ALARM_REGION = "us-west-2"
ZONE = "example.com"
NAME = "db.example.com"


class World:
    def __init__(self, emulator: Emulator) -> None:
        self.cloudwatch = emulator.client("cloudwatch", ALARM_REGION)
        self.route53 = emulator.client("route53", "us-east-1")
        self.zone_id = self.route53.create_hosted_zone(Name=ZONE, CallerReference="zone")["HostedZone"]["Id"]

    def alarm(self, name: str) -> str:
        self.cloudwatch.put_metric_alarm(
            AlarmName=name,
            Namespace="AWS/RDS",
            MetricName="AuroraGlobalDBRPOLag",
            Dimensions=[{"Name": "DBClusterIdentifier", "Value": name}],
            Statistic="Maximum",
            Period=60,
            EvaluationPeriods=1,
            Threshold=1000,
            ComparisonOperator="GreaterThanThreshold",
        )
        return name

    def set_state(self, alarm: str, state: str) -> None:
        self.cloudwatch.set_alarm_state(AlarmName=alarm, StateValue=state, StateReason="test")

    def health_check(self, alarm: str, insufficient: str | None = None, **extra: Any) -> str:
        config: dict[str, Any] = {
            "Type": "CLOUDWATCH_METRIC",
            "AlarmIdentifier": {"Region": ALARM_REGION, "Name": alarm},
            **extra,
        }
        if insufficient:
            config["InsufficientDataHealthStatus"] = insufficient
        reference = f"{alarm}-{insufficient}-{sorted(extra.items())}"
        return self.route53.create_health_check(CallerReference=reference, HealthCheckConfig=config)["HealthCheck"]["Id"]

    def statuses(self, health_check_id: str) -> set[str]:
        observations = self.route53.get_health_check_status(HealthCheckId=health_check_id)["HealthCheckObservations"]
        assert len(observations) == 8  # one per Route 53 health checker Region
        return {o["StatusReport"]["Status"].split(":", 1)[0] for o in observations}

    def upsert(self, **record: Any) -> None:
        record.setdefault("Name", NAME)
        record.setdefault("Type", "CNAME")
        record.setdefault("TTL", 5)
        values = record.pop("Values")
        record["ResourceRecords"] = [{"Value": v} for v in values]
        self.route53.change_resource_record_sets(
            HostedZoneId=self.zone_id, ChangeBatch={"Changes": [{"Action": "UPSERT", "ResourceRecordSet": record}]}
        )

    def answer(self, name: str = NAME, record_type: str = "CNAME", **client: str) -> dict[str, Any]:
        answer = self.route53.test_dns_answer(
            HostedZoneId=self.zone_id, RecordName=name, RecordType=record_type, **client
        )
        answer.pop("ResponseMetadata")
        return answer


@pytest.fixture()
def world(fresh: Emulator) -> World:
    return World(fresh)


def test_cloudwatch_metric_health_check_follows_its_alarm(world: World) -> None:
    alarm = world.alarm("orders-east-lag")
    health_check = world.health_check(alarm, insufficient="Unhealthy")

    world.set_state(alarm, "OK")
    assert world.statuses(health_check) == {"Success"}
    world.set_state(alarm, "ALARM")
    assert world.statuses(health_check) == {"Failure"}
    world.set_state(alarm, "OK")
    assert world.statuses(health_check) == {"Success"}
    world.set_state(alarm, "INSUFFICIENT_DATA")
    assert world.statuses(health_check) == {"Failure"}

    described = world.route53.get_health_check(HealthCheckId=health_check)["HealthCheck"]
    assert described["HealthCheckConfig"]["AlarmIdentifier"] == {"Region": ALARM_REGION, "Name": alarm}
    assert described["HealthCheckConfig"]["InsufficientDataHealthStatus"] == "Unhealthy"
    assert "Port" not in described["HealthCheckConfig"]
    assert described["CloudWatchAlarmConfiguration"]["MetricName"] == "AuroraGlobalDBRPOLag"


def test_insufficient_data_follows_the_configured_status(world: World) -> None:
    alarm = world.alarm("orders-east-lag")
    healthy = world.health_check(alarm, insufficient="Healthy")
    unhealthy = world.health_check(alarm, insufficient="Unhealthy")
    last_known = world.health_check(alarm, insufficient="LastKnownStatus")
    default = world.health_check(alarm)  # UpdateHealthCheck reference: LastKnownStatus by default

    world.set_state(alarm, "ALARM")
    world.set_state(alarm, "INSUFFICIENT_DATA")
    assert world.statuses(healthy) == {"Success"}
    assert world.statuses(unhealthy) == {"Failure"}
    assert world.statuses(last_known) == {"Failure"}
    assert world.statuses(default) == {"Failure"}

    world.set_state(alarm, "OK")
    world.set_state(alarm, "INSUFFICIENT_DATA")
    assert world.statuses(last_known) == {"Success"}

    world.route53.update_health_check(HealthCheckId=last_known, InsufficientDataHealthStatus="Unhealthy")
    assert world.statuses(last_known) == {"Failure"}


def test_other_health_check_types_keep_moto_answer(world: World) -> None:
    http = world.route53.create_health_check(
        CallerReference="http", HealthCheckConfig={"Type": "HTTP", "IPAddress": "192.0.2.10", "Port": 80}
    )["HealthCheck"]["Id"]

    observations = world.route53.get_health_check_status(HealthCheckId=http)["HealthCheckObservations"]

    assert [o["StatusReport"]["Status"] for o in observations] == [
        "Success: HTTP Status Code: 200. Resolved IP: 127.0.13.37. OK"
    ]


def test_dns_failover_pair_flips_with_the_alarm(world: World) -> None:
    alarm = world.alarm("orders-east-lag")
    primary_check = world.health_check(alarm, insufficient="Unhealthy")
    world.upsert(SetIdentifier="east", Failover="PRIMARY", HealthCheckId=primary_check, Values=["orders-east.example"])
    world.upsert(SetIdentifier="west", Failover="SECONDARY", Values=["orders-west.example"])  # no check: healthy

    assert world.answer() == {
        "Nameserver": "ns-2048.awsdns-64.com",
        "RecordName": NAME,
        "RecordType": "CNAME",
        "RecordData": ["orders-east.example"],
        "ResponseCode": "NOERROR",
        "Protocol": "UDP",
    }
    world.set_state(alarm, "ALARM")
    assert world.answer()["RecordData"] == ["orders-west.example"]
    assert world.answer(record_type="A")["RecordData"] == ["orders-west.example"]  # a CNAME answers any type
    world.set_state(alarm, "OK")
    assert world.answer()["RecordData"] == ["orders-east.example"]
    world.set_state(alarm, "INSUFFICIENT_DATA")
    assert world.answer()["RecordData"] == ["orders-west.example"]


def test_dns_failover_answers_the_primary_when_the_secondary_is_unhealthy(world: World) -> None:
    east, west = world.alarm("east-down"), world.alarm("west-down")
    world.upsert(SetIdentifier="east", Failover="PRIMARY", HealthCheckId=world.health_check(east), Values=["east"])
    world.upsert(SetIdentifier="west", Failover="SECONDARY", HealthCheckId=world.health_check(west), Values=["west"])

    world.set_state(east, "ALARM")
    assert world.answer()["RecordData"] == ["west"]
    world.set_state(west, "ALARM")
    assert world.answer()["RecordData"] == ["east"]


def test_dns_latency_records_answer_the_client_region_while_healthy(world: World) -> None:
    east, west = world.alarm("east-down"), world.alarm("west-down")
    world.upsert(SetIdentifier="east", Region="us-east-1", HealthCheckId=world.health_check(east), Values=["east"])
    world.upsert(SetIdentifier="west", Region="us-west-2", HealthCheckId=world.health_check(west), Values=["west"])

    assert world.answer()["RecordData"] == ["east"]  # EMULATOR_CLIENT_REGION defaults to us-east-1
    world.set_state(east, "ALARM")
    assert world.answer()["RecordData"] == ["west"]
    world.set_state(west, "ALARM")
    assert world.answer()["RecordData"] == ["east"]  # all unhealthy: all are considered healthy
    world.set_state(east, "OK")
    assert world.answer()["RecordData"] == ["east"]


def test_dns_latency_client_region_is_configurable() -> None:
    own = start_emulator(EMULATOR_CLIENT_REGION="us-west-2")
    try:
        world = World(own)
        world.upsert(SetIdentifier="east", Region="us-east-1", Values=["east"])
        world.upsert(SetIdentifier="west", Region="us-west-2", Values=["west"])

        assert world.answer()["RecordData"] == ["west"]
    finally:
        stop_emulator(own)


def test_dns_latency_resolver_address_places_the_client_in_a_region(world: World) -> None:
    east, west = world.alarm("east-down"), world.alarm("west-down")
    world.upsert(SetIdentifier="east", Region="us-east-1", HealthCheckId=world.health_check(east), Values=["east"])
    world.upsert(SetIdentifier="west", Region="us-west-2", HealthCheckId=world.health_check(west), Values=["west"])

    assert world.answer(ResolverIP="198.51.100.4")["RecordData"] == ["west"]  # RESOLVER_IPS us-west-2
    assert world.answer(EDNS0ClientSubnetIP="198.51.100.4")["RecordData"] == ["west"]
    assert world.answer(ResolverIP="198.51.100.1")["RecordData"] == ["east"]
    assert world.answer(ResolverIP="203.0.113.9")["RecordData"] == ["east"]  # unknown address: the default Region
    world.set_state(west, "ALARM")
    assert world.answer(ResolverIP="198.51.100.4")["RecordData"] == ["east"]  # its own Region withdrawn


def test_dns_simple_records_and_missing_names(world: World) -> None:
    world.upsert(Name="www.example.com", Type="A", Values=["192.0.2.1", "192.0.2.2"])

    assert world.answer("www.example.com", "A")["RecordData"] == ["192.0.2.1", "192.0.2.2"]
    nodata = world.answer("www.example.com", "AAAA")
    assert (nodata["RecordData"], nodata["ResponseCode"]) == ([], "NOERROR")
    missing = world.answer("nope.example.com", "A")
    assert (missing["RecordData"], missing["ResponseCode"]) == ([], "NXDOMAIN")
    with pytest.raises(ClientError) as error:
        world.route53.test_dns_answer(HostedZoneId="ZNOSUCHZONE", RecordName=NAME, RecordType="A")
    assert error.value.response["Error"]["Code"] == "NoSuchHostedZone"
    assert error.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404
