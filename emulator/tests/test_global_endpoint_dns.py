"""EMULATOR CODE (not product code): the Aurora global writer endpoint in DescribeGlobalClusters and its DNS."""

from __future__ import annotations

import random
import re
import socket
import struct
import time
from typing import Any

import pytest
from conftest import Emulator
from test_aurora_global import EAST, GLOBAL, WEST, WEST_ARN, cluster, describe_global, global_db, wait_until_done

__all__ = ["global_db"]  # the fixture, imported for pytest

DNS_SECONDS = 1.0  # the launcher's default EMULATOR_GLOBAL_ENDPOINT_DNS_SECONDS


def query(address: tuple[str, int], name: str, qtype: int = 5) -> tuple[int, list[tuple[int, int, str]]]:
    """(RCODE, [(type, ttl, target)]) of one UDP query, parsed by hand (RFC 1035 4.1)."""
    query_id = random.randrange(1 << 16)
    question = b"".join(bytes([len(label)]) + label.encode() for label in name.split(".")) + b"\x00"
    packet = struct.pack("!HHHHHH", query_id, 0x0100, 1, 0, 0, 0) + question + struct.pack("!HH", qtype, 1)
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.settimeout(5)
        sock.sendto(packet, address)
        response, _ = sock.recvfrom(4096)
    answered_id, flags, qdcount, ancount = struct.unpack("!HHHH", response[:8])
    assert answered_id == query_id and flags & 0x8000 and qdcount == 1
    assert response[12 : 12 + len(question) + 4] == question + struct.pack("!HH", qtype, 1), "question echoed"
    offset = 12 + len(question) + 4
    answers = []
    for _ in range(ancount):
        assert response[offset : offset + 2] == b"\xc0\x0c", "the answer names the question's name"
        rtype, _rclass, ttl, length = struct.unpack("!HHIH", response[offset + 2 : offset + 12])
        rdata, labels, at = response[offset + 12 : offset + 12 + length], [], 0
        while rdata[at]:
            labels.append(rdata[at + 1 : at + 1 + rdata[at]].decode())
            at += 1 + rdata[at]
        answers.append((rtype, ttl, ".".join(labels)))
        offset += 12 + length
    return flags & 0x000F, answers


def test_describe_global_clusters_shows_a_global_writer_endpoint(global_db: tuple[Any, Any]) -> None:
    _, west = global_db

    endpoint = describe_global(west)["Endpoint"]

    assert re.fullmatch(rf"{GLOBAL}\.global-[0-9a-z]+\.global\.rds\.amazonaws\.com", endpoint)


def test_the_endpoint_is_a_cname_to_the_writer_cluster_endpoint(fresh: Emulator, global_db: tuple[Any, Any]) -> None:
    east, west = global_db
    endpoint = describe_global(west)["Endpoint"]

    rcode, answers = query(fresh.dns_address, endpoint)

    assert rcode == 0
    assert answers == [(5, 5, cluster(east, EAST)["Endpoint"])]  # TTL 5 s, as Aurora's DNS zones
    # an address question finds the CNAME at the name too (RFC 1034 3.6.2); upper case is the same name
    assert query(fresh.dns_address, endpoint.upper(), qtype=1) == (0, [(5, 5, cluster(east, EAST)["Endpoint"])])


def test_after_a_switchover_the_endpoint_follows_the_new_writer_after_its_dns_change(
    fresh: Emulator, global_db: tuple[Any, Any]
) -> None:
    east, west = global_db
    endpoint = describe_global(west)["Endpoint"]
    started = time.monotonic()

    west.switchover_global_cluster(GlobalClusterIdentifier=GLOBAL, TargetDbClusterIdentifier=WEST_ARN)
    assert query(fresh.dns_address, endpoint)[1][0][2] == cluster(east, EAST)["Endpoint"], "during the operation"
    wait_until_done(west, started)
    finished = time.monotonic()

    assert describe_global(west)["Endpoint"] == endpoint, "the name stays; where it points changes"
    seen = query(fresh.dns_address, endpoint)[1][0][2]
    if time.monotonic() - finished < DNS_SECONDS - 0.2:
        assert seen == cluster(east, EAST)["Endpoint"], "Aurora has not finished changing the DNS name yet"
    deadline = finished + DNS_SECONDS + 5
    while query(fresh.dns_address, endpoint)[1][0][2] != cluster(west, WEST)["Endpoint"]:
        assert time.monotonic() < deadline, "the endpoint never followed the writer"
        time.sleep(0.05)
    assert time.monotonic() - finished >= DNS_SECONDS - 0.2


def test_a_failover_moves_the_endpoint_too(fresh: Emulator, global_db: tuple[Any, Any]) -> None:
    _, west = global_db
    endpoint = describe_global(west)["Endpoint"]
    started = time.monotonic()

    west.failover_global_cluster(GlobalClusterIdentifier=GLOBAL, TargetDbClusterIdentifier=WEST_ARN, AllowDataLoss=True)
    wait_until_done(west, started)

    deadline = time.monotonic() + DNS_SECONDS + 5
    while query(fresh.dns_address, endpoint)[1][0][2] != cluster(west, WEST)["Endpoint"]:
        assert time.monotonic() < deadline, "the endpoint never followed the writer"
        time.sleep(0.05)


@pytest.mark.parametrize("name", ["nothing.global-0000.global.rds.amazonaws.com"])
def test_an_unknown_global_endpoint_is_nxdomain(fresh: Emulator, name: str) -> None:
    assert query(fresh.dns_address, name) == (3, [])


def test_a_global_cluster_without_a_writer_is_nxdomain(fresh: Emulator, global_db: tuple[Any, Any]) -> None:
    east, west = global_db
    endpoint = describe_global(west)["Endpoint"]

    west.remove_from_global_cluster(GlobalClusterIdentifier=GLOBAL, DbClusterIdentifier=WEST_ARN)
    east.remove_from_global_cluster(GlobalClusterIdentifier=GLOBAL, DbClusterIdentifier=cluster(east, EAST)["DBClusterArn"])

    assert query(fresh.dns_address, endpoint) == (3, [])


def test_other_names_are_refused(fresh: Emulator) -> None:
    assert query(fresh.dns_address, "example.com") == (5, [])
