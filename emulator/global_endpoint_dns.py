"""EMULATOR CODE (not product code): the DNS of Aurora global writer endpoints, for moto 5.2.1.

moto already answers DescribeGlobalClusters with an `Endpoint`
(`<global id>.global-<hex>.global.rds.amazonaws.com`, fixed for the global
cluster's life), but no name server answers for it. This module is a small UDP
name server for those names only, so that clients can see where the endpoint
points, and when that changes.

AWS behaviour reproduced, with its sources:

1. API reference, GlobalCluster.Endpoint, and CloudFormation
   AWS::RDS::GlobalCluster GlobalEndpoint: "The writer endpoint for the new
   global database cluster. This endpoint always points to the writer DB
   instance in the current primary cluster." Aurora User Guide, "Connecting to
   Amazon Aurora Global Database": the writer endpoint "is automatically
   updated by Aurora to route requests to the current writer instance of the
   primary DB cluster", so its name stays the same across switchovers and
   failovers. Modelled as a CNAME from the global endpoint to the writer
   cluster's own cluster endpoint (`<id>.cluster-<x>.<region>.rds.amazonaws.com`,
   the name that DescribeDBClusters reports as `Endpoint`).
2. The change is not instant. Aurora User Guide, "Using switchover or failover
   in Amazon Aurora Global Database": "If you are using the Aurora Global
   Database writer endpoint ... Verify that the DNS changes have propagated";
   RDS event RDS-EVENT-0397 (category "global failover", source type DB
   cluster; User Guide, "Amazon RDS event categories and event messages for
   Aurora"): "Aurora finished changing the DNS name that the global writer
   endpoint resolves to." Modelled: when a failover or switchover finishes
   (aurora_global._finish), the CNAME keeps naming the old writer for
   EMULATOR_GLOBAL_ENDPOINT_DNS_SECONDS (default 1.0), then names the new one;
   rds_events.py puts RDS-EVENT-0397 on EventBridge at that moment.
3. TTL 5 seconds: Amazon Aurora MySQL Database Administrator's Handbook, "DNS
   caching": "Aurora DNS zones use a short Time-To-Live (TTL) of five seconds".

Wire format (RFC 1035): one question per query; a known global endpoint is
answered with one CNAME record (for any question type: the CNAME is at the
name, RFC 1034 3.6.2), an unknown name under `.global.rds.amazonaws.com`, or a
global cluster without a writer, with NXDOMAIN; other names REFUSED (this is
not a recursive resolver). The CNAME's target is not chased to addresses.
"""

from __future__ import annotations

import os
import socketserver
import struct
import threading
import time
from typing import Any

from moto.rds.models import DBCluster, GlobalCluster

import aurora_global

DNS_SECONDS_ENV = "EMULATOR_GLOBAL_ENDPOINT_DNS_SECONDS"
SUFFIX = ".global.rds.amazonaws.com"
TTL_SECONDS = 5
TYPE_CNAME = 5
CLASS_IN = 1
NOERROR, NXDOMAIN, REFUSED, FORMERR = 0, 3, 5, 1


def _dns_seconds() -> float:
    return float(os.environ.get(DNS_SECONDS_ENV, "1.0"))


def record_writer_change(global_cluster: GlobalCluster, old_writer: DBCluster) -> None:
    """Called as an operation finishes: the endpoint keeps naming the old writer a little longer."""
    global_cluster.__dict__["_emulator_dns_previous"] = old_writer
    global_cluster.__dict__["_emulator_dns_follows_at"] = time.monotonic() + _dns_seconds()


def resolve(name: str) -> str | None:
    """The cluster endpoint that the global writer endpoint `name` is a CNAME to now, or None."""
    wanted = name.lower().rstrip(".")
    with aurora_global._lock:
        for account_id in list(aurora_global.rds_backends.keys()):
            for global_cluster in aurora_global._global_clusters(account_id):
                if global_cluster.endpoint.lower() != wanted:
                    continue
                previous = global_cluster.__dict__.get("_emulator_dns_previous")
                follows_at = global_cluster.__dict__.get("_emulator_dns_follows_at", 0.0)
                if previous is not None and time.monotonic() < follows_at:
                    return str(previous.endpoint)
                writer = aurora_global._writer(global_cluster)
                return None if writer is None else str(writer.endpoint)
    return None


# --- wire format -----------------------------------------------------------------


def _encode_name(name: str) -> bytes:
    labels = [label for label in name.rstrip(".").split(".") if label]
    return b"".join(bytes([len(label)]) + label.encode("ascii") for label in labels) + b"\x00"


def _question(packet: bytes) -> tuple[str, int, int]:
    """(name, type, end offset of the question) of the first question; ValueError when malformed."""
    labels: list[str] = []
    offset = 12
    while True:
        if offset >= len(packet):
            raise ValueError("truncated name")
        length = packet[offset]
        offset += 1
        if length == 0:
            break
        if length & 0xC0:
            raise ValueError("compressed name in a question")
        labels.append(packet[offset : offset + length].decode("ascii"))
        offset += length
    if offset + 4 > len(packet):
        raise ValueError("truncated question")
    qtype, _qclass = struct.unpack("!HH", packet[offset : offset + 4])
    return ".".join(labels), qtype, offset + 4


def answer(query: bytes) -> bytes:
    """The response to one query packet."""
    if len(query) < 12:
        return b""
    query_id, flags = struct.unpack("!HH", query[:4])
    recursion_desired = flags & 0x0100
    try:
        if struct.unpack("!H", query[4:6])[0] != 1:
            raise ValueError("one question per query")
        name, _qtype, end = _question(query)
    except (ValueError, UnicodeDecodeError):
        return struct.pack("!HHHHHH", query_id, 0x8000 | recursion_desired | FORMERR, 0, 0, 0, 0)
    question = query[12:end]
    if not name.lower().endswith(SUFFIX):
        return struct.pack("!HHHHHH", query_id, 0x8000 | recursion_desired | REFUSED, 1, 0, 0, 0) + question
    target = resolve(name)
    if target is None:
        header = struct.pack("!HHHHHH", query_id, 0x8400 | recursion_desired | NXDOMAIN, 1, 0, 0, 0)
        return header + question
    rdata = _encode_name(target)
    record = b"\xc0\x0c" + struct.pack("!HHIH", TYPE_CNAME, CLASS_IN, TTL_SECONDS, len(rdata)) + rdata
    # QR and AA: the answer is authoritative, as from the zone's own name servers
    return struct.pack("!HHHHHH", query_id, 0x8400 | recursion_desired | NOERROR, 1, 1, 0, 0) + question + record


class _Handler(socketserver.BaseRequestHandler):
    def handle(self) -> None:
        packet, sock = self.request
        response = answer(packet)
        if response:
            sock.sendto(response, self.client_address)


class GlobalEndpointDns:
    """The name server on a UDP port of `host` (0: a free one)."""

    def __init__(self, host: str, port: int = 0) -> None:
        self._server = socketserver.ThreadingUDPServer((host, port), _Handler)
        self._server.daemon_threads = True
        self.host, self.port = self._server.server_address[:2]
        self._thread = threading.Thread(target=self._server.serve_forever, name="global-endpoint-dns", daemon=True)

    def start(self) -> "GlobalEndpointDns":
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()


def apply() -> None:
    """Hooks the writer change into aurora_global's end of an operation."""
    finish = aurora_global._finish

    def finishing(global_cluster: Any) -> None:
        old_writer = global_cluster.__dict__["_emulator_failover"]["from"]
        finish(global_cluster)
        record_writer_change(global_cluster, old_writer)

    aurora_global._finish = finishing
