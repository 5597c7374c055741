"""EMULATOR TEST TOOLING (not product code): the fault proxy's latency rule (AWS-sized round trips for benchmarks).

Timings: each delay is a lower bound (the proxy sleeps at least that long), asserted to within 2 ms; upper bounds
are loose (the machine may be loaded). The exact figures injected are asserted on the counters instead.
"""

from __future__ import annotations

import json
import statistics
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from botocore.exceptions import ClientError, ReadTimeoutError
from conftest import start_emulator, stop_emulator
from test_fault_proxy import Proxied

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import fault_proxy  # noqa: E402  (the emulator's folder, put on the path just above)

EARLY_MS = 2.0  # how much earlier than its delay a timed call may return (clock granularity)
LOOSE_MS = 1500.0  # how much later: generous, for a loaded machine
AT_START = {"clientRegion": "eu-west-1", "seed": 3, "services": {"sts": 30}}  # EMULATOR_LATENCY of the emulator below


class Started:
    def __init__(self, proxied: Proxied, state: dict[str, Any], counters: dict[str, Any], elapsed_ms: float) -> None:
        self.proxied = proxied
        self.state = state  # GET /_faults right after start
        self.counters = counters  # GET /_faults after one STS call
        self.elapsed_ms = elapsed_ms  # how long that call took


@pytest.fixture(scope="module")
def started() -> Iterator[Started]:
    emulator = start_emulator(EMULATOR_FAULTS="1", EMULATOR_LATENCY=json.dumps(AT_START))
    proxied = Proxied(emulator)
    state = proxied.control("GET")[1]
    sts = proxied.client("sts", "eu-west-1")
    elapsed_ms = timed(sts.get_caller_identity)
    yield Started(proxied, state, proxied.counters(), elapsed_ms)
    stop_emulator(emulator)


@pytest.fixture()
def proxy(started: Started) -> Proxied:
    started.proxied.rules()  # no rules (latency off), fresh counters
    assert started.proxied.emulator.reset() == 200
    return started.proxied


def timed(call: Callable[[], Any]) -> float:
    began = time.monotonic()
    call()
    return (time.monotonic() - began) * 1000.0


def assert_took(elapsed_ms: float, delay_ms: float) -> None:
    assert delay_ms - EARLY_MS <= elapsed_ms < delay_ms + LOOSE_MS, (elapsed_ms, delay_ms)


def test_same_region_and_cross_region_round_trips_through_a_real_client(proxy: Proxied) -> None:
    same, cross = proxy.client("dynamodb", "us-west-2"), proxy.client("dynamodb", "us-east-1")
    same.list_tables(), cross.list_tables()  # connections opened before the rule: only the delay is timed
    proxy.rules(latency={"clientRegion": "us-west-2", "services": {"dynamodb": 60}})

    same_ms = [timed(same.list_tables) for _ in range(3)]
    cross_ms = [timed(cross.list_tables) for _ in range(3)]

    rtt = fault_proxy.DEFAULT_RTT_MS[("us-east-1", "us-west-2")]
    assert rtt == 63.5
    for elapsed in same_ms:
        assert_took(elapsed, 60)
    for elapsed in cross_ms:
        assert_took(elapsed, 60 + rtt)
    assert proxy.counters()["latency"] == {
        "requests": 6,
        "injectedMs": 3 * 60 + 3 * (60 + rtt),
        "crossRegion": 3,
        "unknownRegions": {},
        "byService": {"dynamodb": {"requests": 6, "injectedMs": 3 * 60 + 3 * (60 + rtt)}},
    }


def test_route53_counts_as_us_east_1_whatever_region_it_is_signed_for(proxy: Proxied) -> None:
    route53 = proxy.client("route53", "us-west-2")
    route53.list_hosted_zones()

    proxy.rules(latency={"clientRegion": "us-west-2", "services": {"route53": 10}})
    assert_took(timed(route53.list_hosted_zones), 10 + 63.5)
    assert proxy.counters()["latency"]["byService"]["route53"] == {"requests": 1, "injectedMs": 73.5}
    assert proxy.counters()["latency"]["crossRegion"] == 1

    proxy.rules(latency={"clientRegion": "us-east-1", "services": {"route53": 10}})
    assert_took(timed(route53.list_hosted_zones), 10)
    assert proxy.counters()["latency"]["byService"]["route53"] == {"requests": 1, "injectedMs": 10.0}
    assert proxy.counters()["latency"]["crossRegion"] == 0


def test_the_default_table_tells_control_plane_writes_from_reads_and_scale_multiplies(proxy: Proxied) -> None:
    proxy.rules(latency={"clientRegion": "us-east-1", "scale": 0.2})
    route53 = proxy.client("route53")
    zone = route53.create_hosted_zone(Name="example.com", CallerReference="z")["HostedZone"]["Id"]
    change = {"Changes": [{"Action": "UPSERT", "ResourceRecordSet": {"Name": "db.example.com", "Type": "CNAME", "TTL": 5,
                                                                     "ResourceRecords": [{"Value": "a.example.com"}]}}]}
    assert_took(timed(lambda: route53.change_resource_record_sets(HostedZoneId=zone, ChangeBatch=change)), 250 * 0.2)
    rds = proxy.client("rds", "us-east-1")
    assert_took(timed(rds.describe_db_instances), 80 * 0.2)
    proxy.client("sqs", "us-east-1").list_queues()  # 10 ms, from the table

    latency = proxy.counters()["latency"]
    table = fault_proxy.DEFAULT_SERVICE_MS
    assert table["route53"]["ChangeResourceRecordSets"] == 250 and table["route53"]["*"] == 50 and table["rds"]["*"] == 80
    assert latency["byService"]["route53"] == {"requests": 2, "injectedMs": (50 + 250) * 0.2}
    assert latency["byService"]["rds"] == {"requests": 1, "injectedMs": 80 * 0.2}
    assert latency["byService"]["sqs"] == {"requests": 1, "injectedMs": 10 * 0.2}


def test_the_delay_formula_and_the_lookup_order() -> None:
    config = fault_proxy.parse_latency(
        {"clientRegion": "us-west-2", "jitter": 0.25, "scale": 2, "services": {"rds": 40, "rds:PromoteReadReplica": 7, "*": 3},
         "regionPairs": {"us-east-1|us-west-2": 70}}
    )
    assert config is not None
    # (serviceMs + rttMs) * scale * (1 + jitter * u)
    assert fault_proxy.latency_ms(config, "rds", "DescribeDBInstances", "us-west-2", 0.0) == (40 * 2, 0.0, True)
    assert fault_proxy.latency_ms(config, "rds", "promotereadreplica", "us-east-1", 1.0) == ((7 + 70) * 2 * 1.25, 70, True)
    assert fault_proxy.latency_ms(config, "rds", "DescribeDBInstances", "eu-west-1", -1.0) == ((40 + 119) * 2 * 0.75, 119, True)
    assert fault_proxy.latency_ms(config, "route53", "ChangeResourceRecordSets", "us-east-1", 0.0)[0] == (250 + 70) * 2
    assert fault_proxy.latency_ms(config, "kinesis", None, "us-west-2", 0.0)[0] == 3 * 2  # the "*" override
    assert fault_proxy.latency_ms(config, "dynamodb", "GetItem", "sa-east-1", 0.0) == (
        (8 + fault_proxy.UNKNOWN_REGION_RTT_MS) * 2, fault_proxy.UNKNOWN_REGION_RTT_MS, False)
    assert fault_proxy.latency_ms(config, None, None, None, 0.0)[0] == 3 * 2  # unsigned: no Region, no round trip
    # symmetric, looked up in either order
    for a, b in fault_proxy.DEFAULT_RTT_MS:
        assert fault_proxy.rtt_ms(a, b) == fault_proxy.rtt_ms(b, a) == (fault_proxy.DEFAULT_RTT_MS[(a, b)], True)
    required = {"us-east-1", "us-east-2", "us-west-2", "eu-west-1", "eu-central-1", "ap-southeast-1"}
    assert required <= fault_proxy.LATENCY_REGIONS
    assert all(fault_proxy.rtt_ms(a, b)[1] for a in fault_proxy.LATENCY_REGIONS for b in fault_proxy.LATENCY_REGIONS)


def test_jitter_stays_in_its_band_and_a_seed_repeats_its_sequence() -> None:
    faults = fault_proxy.Faults()
    identity = fault_proxy.Identity("us-east-1", "dynamodb", "GetItem", "json")
    spec = {"latency": {"clientRegion": "us-west-2", "seed": 7, "jitter": 0.2}}
    base = 8 + 63.5

    faults.replace(spec)
    first = [faults.latency_for(identity) for _ in range(2000)]
    assert all(base * 0.8 - 0.001 <= d <= base * 1.2 + 0.001 for d in first)
    assert min(first) < base * 0.81 and max(first) > base * 1.19  # the whole band is used
    assert abs(statistics.mean(first) - base) < base * 0.01  # centred on the table's figure
    assert faults.snapshot()["counters"]["latency"]["injectedMs"] == pytest.approx(sum(first), abs=0.01)

    faults.replace(spec)
    assert [faults.latency_for(identity) for _ in range(100)] == first[:100]
    faults.replace({"latency": {**spec["latency"], "seed": 8}})
    assert [faults.latency_for(identity) for _ in range(100)] != first[:100]
    faults.replace({"latency": {**spec["latency"], "jitter": 0}})
    assert {faults.latency_for(identity) for _ in range(20)} == {base}


def test_latency_draws_leave_the_error_rates_sequence_alone() -> None:
    identity = fault_proxy.Identity("us-west-2", "rds", "DescribeDBInstances", "query")

    def decisions(rules: dict[str, Any]) -> list[str | None]:
        faults = fault_proxy.Faults()
        faults.replace(rules)
        out = []
        for _ in range(100):
            faults.latency_for(identity)
            out.append(faults.decide(identity))
        return out

    errors = {"errorRate": 0.3, "seed": 42}
    assert decisions(errors) == decisions({**errors, "latency": {"clientRegion": "us-west-2", "jitter": 0.5, "seed": 1}})


def test_concurrent_requests_overlap_instead_of_queueing(proxy: Proxied) -> None:
    clients = [proxy.client("dynamodb", "us-west-2") for _ in range(8)]
    for client in clients:
        client.list_tables()  # connections opened before the rule
    proxy.rules(latency={"clientRegion": "us-west-2", "services": {"dynamodb": 400}})
    barrier = threading.Barrier(len(clients))
    elapsed: list[float] = []
    failures: list[BaseException] = []

    def call(client: Any) -> None:
        try:
            barrier.wait(10)
            elapsed.append(timed(client.list_tables))
        except BaseException as error:  # noqa: BLE001 - handed to the test thread
            failures.append(error)

    threads = [threading.Thread(target=call, args=(client,)) for client in clients]
    began = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    wall_ms = (time.monotonic() - began) * 1000.0

    assert not failures and len(elapsed) == 8
    assert all(e >= 400 - EARLY_MS for e in elapsed)
    assert 400 - EARLY_MS <= wall_ms < 8 * 400 / 2  # queued one after another it would take 3200 ms
    assert proxy.counters()["latency"]["requests"] == 8


def test_latency_comes_first_then_the_other_rules_effect(proxy: Proxied) -> None:
    dynamodb = proxy.client("dynamodb", "us-west-2")
    dynamodb.list_tables()
    proxy.rules(latency={"clientRegion": "us-west-2", "services": {"dynamodb": 100}}, errorRate=1.0, errorKinds=["throttling"])
    began = time.monotonic()
    with pytest.raises(ClientError) as throttled:
        dynamodb.list_tables()
    assert_took((time.monotonic() - began) * 1000.0, 100)
    assert throttled.value.response["Error"]["Code"] == "ThrottlingException"

    proxy.rules(latency={"clientRegion": "us-west-2", "services": {"rds": 100}}, blackhole=["us-east-1"])
    began = time.monotonic()
    with pytest.raises(ReadTimeoutError):
        proxy.client("rds", "us-east-1", read_timeout=0.5, connect_timeout=1).describe_db_instances()
    assert (time.monotonic() - began) * 1000.0 >= 500 - EARLY_MS
    counters = proxy.counters()
    assert counters["faults"]["blackhole"] == 1
    assert counters["latency"]["byService"]["rds"] == {"requests": 1, "injectedMs": 100 + 63.5}


@pytest.mark.parametrize(
    "latency, field",
    [
        ({"clientRegion": "us-west-2", "bogus": 1}, "bogus"),
        ({"seed": 7}, "clientRegion"),
        ({"clientRegion": "mars-1"}, "clientRegion"),
        ({"clientRegion": "us-west-2", "jitter": 1.0}, "jitter"),
        ({"clientRegion": "us-west-2", "jitter": -0.1}, "jitter"),
        ({"clientRegion": "us-west-2", "scale": -1}, "scale"),
        ({"clientRegion": "us-west-2", "scale": "fast"}, "scale"),
        ({"clientRegion": "us-west-2", "seed": "seven"}, "seed"),
        ({"clientRegion": "us-west-2", "services": {"rds": -5}}, "services"),
        ({"clientRegion": "us-west-2", "services": {"rds": "slow"}}, "services"),
        ({"clientRegion": "us-west-2", "services": ["rds"]}, "services"),
        ({"clientRegion": "us-west-2", "regionPairs": {"us-east-1|mars-1": 5}}, "regionPairs"),
        ({"clientRegion": "us-west-2", "regionPairs": {"us-east-1": 5}}, "regionPairs"),
        ({"clientRegion": "us-west-2", "regionPairs": {"us-east-1|us-east-1": 5}}, "regionPairs"),
        ({"clientRegion": "us-west-2", "regionPairs": {"us-east-1|us-west-2": -1}}, "regionPairs"),
        ("us-west-2", "latency"),
    ],
)
def test_malformed_latency_is_a_400_naming_the_field_and_changes_nothing(proxy: Proxied, latency: Any, field: str) -> None:
    proxy.rules(latency={"clientRegion": "us-east-2"})
    status, answer = proxy.control("POST", {"latency": latency})
    assert status == 400 and field in answer["error"], answer
    assert proxy.control("GET")[1]["rules"]["latency"]["clientRegion"] == "us-east-2"  # unchanged


def test_rules_and_counters_shapes_and_an_unknown_region(proxy: Proxied) -> None:
    state = proxy.rules(latency={"clientRegion": "us-west-2", "seed": 7, "jitter": 0.2, "scale": 1.0,
                                 "services": {"CloudWatch": 5}, "regionPairs": {"us-west-2|us-east-1": 70}})
    assert state["rules"]["latency"] == {"clientRegion": "us-west-2", "seed": 7, "jitter": 0.2, "scale": 1.0,
                                         "services": {"monitoring": 5.0}, "regionPairs": {"us-west-2|us-east-1": 70.0}}
    assert state["counters"]["latency"] == {"requests": 0, "injectedMs": 0.0, "crossRegion": 0, "unknownRegions": {}, "byService": {}}
    proxy.rules(latency={"clientRegion": "us-west-2", "services": {"sns": 5}})
    proxy.client("sns", "sa-east-1").list_topics()  # a Region outside the table
    proxy.client("sns", "us-east-1").list_topics()
    assert proxy.counters()["latency"] == {
        "requests": 2,
        "injectedMs": 5 + fault_proxy.UNKNOWN_REGION_RTT_MS + 5 + 63.5,
        "crossRegion": 2,
        "unknownRegions": {"sa-east-1": 1},
        "byService": {"sns": {"requests": 2, "injectedMs": 5 + fault_proxy.UNKNOWN_REGION_RTT_MS + 5 + 63.5}},
    }


def test_delete_and_a_post_without_latency_clear_it_and_control_calls_are_not_delayed(proxy: Proxied) -> None:
    sns, dynamodb = proxy.client("sns", "us-east-1"), proxy.client("dynamodb", "us-west-2")
    sns.list_topics()
    slow = {"clientRegion": "us-west-2", "services": {"sns": 3000, "dynamodb": 20}}
    proxy.rules(latency=slow)
    assert timed(lambda: proxy.control("GET")) < 3000  # the control API: no delay (nor any count)
    assert proxy.emulator.reset() == 200  # moto's own API passes undelayed
    assert proxy.counters()["latency"]["requests"] == 0
    dynamodb.list_tables()

    status, state = proxy.control("DELETE")
    assert status == 200 and state["rules"]["latency"] is None
    assert state["counters"]["latency"]["requests"] == 1  # DELETE keeps the counters
    assert timed(sns.list_topics) < 3000  # no longer delayed (3063.5 ms before)
    assert proxy.counters()["latency"]["requests"] == 1

    proxy.rules(latency=slow)
    state = proxy.rules(errorRate=0.0)  # a POST replaces every rule: no latency in it, no latency after it
    assert state["rules"]["latency"] is None and state["counters"]["latency"]["requests"] == 0
    assert timed(sns.list_topics) < 3000
    assert proxy.counters()["latency"]["requests"] == 0


def test_emulator_latency_applies_from_the_start(started: Started) -> None:
    assert started.state["rules"]["latency"] == {"clientRegion": "eu-west-1", "seed": 3, "jitter": 0.0, "scale": 1.0,
                                                 "services": {"sts": 30.0}, "regionPairs": {}}
    assert started.counters["latency"]["byService"] == {"sts": {"requests": 1, "injectedMs": 30.0}}
    assert_took(started.elapsed_ms, 30)


@pytest.mark.parametrize("value, field", [('{"clientRegion": "mars-1"}', "clientRegion"), ('{"clientRegion": "us-east-1", "jitter": 2}', "jitter"),
                                          ("{not json", "JSON")])
def test_a_malformed_emulator_latency_stops_the_proxy_from_starting(value: str, field: str) -> None:
    with pytest.raises(ValueError) as error:
        fault_proxy.FaultProxy("127.0.0.1", 0, "127.0.0.1", 1, environ={"EMULATOR_LATENCY": value})
    assert "EMULATOR_LATENCY" in str(error.value) and field in str(error.value)
