"""EMULATOR TEST TOOLING (not product code, not an emulation of AWS): a fault-injecting HTTP proxy.

`launcher.py --faults` (or EMULATOR_FAULTS=1) puts this proxy in front of the moto
server, so every SDK call goes client -> proxy -> moto. Without rules the proxy is
transparent: method, path, query, headers and body go to moto unchanged, and moto's
status, headers and body come back unchanged. Rules, set over a JSON control API on
the same port under the reserved path /_faults, make it inject the faults that the
failover's "safe under faults" tests need:

- blackhole: requests whose SigV4 credential scope names a listed Region are read and
  then never answered. The connection hangs until the client gives up (its read or
  API-call timeout), the rule is removed, or `blackholeSeconds` (default 300) pass;
  then the proxy closes it without a response. Route 53 requests count as us-east-1
  whatever Region they were signed for: Route 53's control plane lives in us-east-1,
  so black-holing us-east-1 also takes out Route 53 changes and health-check reads.
  (On AWS a dead Region's endpoint would not even accept the TCP connection; here all
  Regions share one port, so the hang starts after the request is read.)
- errorRate/errorKinds: a seeded random fraction of the (other) requests is answered
  with a retryable error instead of being forwarded: `throttling` (HTTP 400 Throttling
  / ThrottlingException) or `5xx` (HTTP 503 ServiceUnavailable), in the error format of
  the request's protocol so SDKs classify them as they would AWS's own.
- permanent: requests matching {service, action?, region?} always fail with a
  non-retryable AccessDenied (Query, REST-XML: HTTP 403 AccessDenied; JSON, CBOR:
  HTTP 400 AccessDeniedException).
- loseAnswers: the next `count` requests matching {service, action?, region?, count}
  are forwarded, so moto applies them, and their answer is replaced by HTTP 503
  ServiceUnavailable: what a client sees when AWS made a change and the answer was
  lost on the way back (a dropped connection, a timeout after the write). The SDK
  retries; the retry meets the world the first attempt changed (a conditional write's
  condition then fails on the client's own write).
- latency: every forwarded request (not /_faults, not /moto-api) is first held for
  (serviceMs(service, action) + rttMs(clientRegion, request Region)) * scale * (1 + jitter * u),
  u uniform in [-1, 1] from its own seeded random source, in the request's own handler thread
  (concurrent requests overlap as they would on AWS). serviceMs is a same-Region round trip
  including the service's processing (DEFAULT_SERVICE_MS, overridable per service or
  service:Action), rttMs the round trip between the caller's Region and the request's
  (DEFAULT_RTT_MS, symmetric, 0 for the same Region, overridable per pair). A request that another
  rule faults is delayed first, then faulted. The figures and their sources: emulator/README.md.
  This makes the emulator's round trips AWS-sized for benchmarks; it does not emulate AWS's
  performance (no queueing, no throttling by load, no tail latency beyond the jitter).

Why these codes are retryable, and AccessDenied is not, for AWS SDK for Java v2 (2.40.x; the answers rechecked with 2.59.1):
SdkDefaultRetryStrategy.configure() registers retryOnStatusCodes (SdkDefaultRetrySetting.
RETRYABLE_STATUS_CODES = 500, 502, 503, 504), retryOnThrottlingCondition (RetryUtils.
isThrottlingException -> AwsServiceException.isThrottlingException: HTTP 429 or an error
code in AwsErrorCode.THROTTLING_ERROR_CODES, which holds "Throttling",
"ThrottlingException", "ProvisionedThroughputExceededException", "RequestLimitExceeded",
...), retryOnClockSkewException and IOException; AwsRetryStrategy adds
AwsErrorCode.RETRYABLE_ERROR_CODES ("PriorRequestNotComplete", "RequestTimeout",
"RequestTimeoutException"). AccessDenied(Exception) with 400/403 is in none of them.
The SDK reads the code of a Query or REST-XML error from <Error><Code>, and of a JSON
error from the x-amzn-ErrorType header (text before ':') or else the body's "__type"
(text after '#') (JsonErrorCodeParser). botocore (the Python tests) applies the same
rules (botocore/parsers.py, botocore/retries/standard.py).

Every decision is counted (GET /_faults), so a test can assert that faults happened.
"""

from __future__ import annotations

import gzip
import json
import math
import os
import random
import re
import select
import socket
import threading
import time
import urllib.parse
import uuid
import zlib
from collections.abc import Iterable, Mapping
from email.utils import formatdate
from http.client import HTTPConnection
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

CONTROL_PATH = "/_faults"
KINDS = ("throttling", "5xx")
FAULTS = ("blackhole", "throttling", "5xx", "permanent", "lost-answer")
DEFAULT_BLACKHOLE_SECONDS = 300.0
UPSTREAM_TIMEOUT_SECONDS = 300.0

# Services whose control plane is in one Region whatever Region the client signs for.
GLOBAL_SERVICE_REGIONS = {"route53": "us-east-1"}
# Rule service names are SigV4 signing names; these friendlier names are accepted too.
SERVICE_ALIASES = {"cloudwatch": "monitoring", "eventbridge": "events"}
# Former Query services that answer JSON/CBOR with an x-amzn-query-error header.
QUERY_COMPATIBLE = {"monitoring", "sqs"}
# Signing name -> botocore model name, to name REST operations (route53: same name).
BOTOCORE_NAMES = {"monitoring": "cloudwatch", "events": "events"}

HOP_BY_HOP = {
    "connection",
    "keep-alive",
    "proxy-connection",
    "proxy-authenticate",
    "proxy-authorization",
    "te",
    "trailer",
    "trailers",
    "transfer-encoding",
    "upgrade",
    "expect",
}

_CREDENTIAL = re.compile(r"Credential=([^/,\s]+)/(\d{8})/([^/,\s]+)/([^/,\s]+)/aws4_request")
_CBOR_PATH = re.compile(r"^/service/[^/]+/operation/([^/?]+)")

# --- latency: the default tables (sources and reasoning: emulator/README.md, "Latency") ----------------------------

# Same-Region round trip, in ms, of one API call from a client in the request's Region (our Lambda functions), the
# service's processing included: service signing name -> {action or "*": ms}; the "*" service covers any other.
# DynamoDB's is AWS's documented "single-digit millisecond" service-side latency of singleton operations plus the
# in-Region network; every other figure is an ESTIMATE (AWS publishes no API latency for these services): control-
# plane writes of RDS and Route 53, which return once the change is accepted (its work goes on asynchronously), are
# put at a few hundred ms, control-plane reads below that, CloudWatch/SNS/EventBridge/SSM/STS/SQS calls at tens of ms.
DEFAULT_SERVICE_MS: dict[str, dict[str, float]] = {
    "dynamodb": {"*": 8.0},
    "sqs": {"*": 10.0},
    "ssm": {"*": 15.0, "PutParameter": 30.0},
    "sns": {"*": 20.0},
    "monitoring": {"*": 20.0, "GetMetricData": 40.0, "GetMetricStatistics": 40.0},
    "events": {"*": 25.0},
    "sts": {"*": 30.0},
    "route53": {"*": 50.0, "ChangeResourceRecordSets": 250.0},
    "rds": {
        "*": 80.0,
        "PromoteReadReplica": 300.0,
        "FailoverGlobalCluster": 300.0,
        "SwitchoverGlobalCluster": 300.0,
        "FailoverDBCluster": 300.0,
        "ModifyDBInstance": 300.0,
        "ModifyDBCluster": 300.0,
        "RemoveFromGlobalCluster": 300.0,
        "StopDBInstance": 300.0,
        "RebootDBInstance": 300.0,
        "CreateDBInstanceReadReplica": 400.0,
    },
    "*": {"*": 20.0},
}

# Round trip, in ms, between two Regions (symmetric; looked up in either order): CloudPing's p50 matrix
# (cloudping.co), as snapshotted in libp2p/jvm-libp2p tools/simulator/.../AwsLatencies.kt (commit 267a4d46,
# 2023-03-08); each figure is the mean of the two directions. Cross-check: AWS's own Infrastructure Performance
# example gives 62.4 ms p50 for us-east-1 -> us-west-2 (2022-10-26).
DEFAULT_RTT_MS: dict[tuple[str, str], float] = {
    ("us-east-1", "us-east-2"): 12.5, ("us-east-1", "us-west-1"): 62.0, ("us-east-1", "us-west-2"): 63.5,
    ("us-east-1", "ca-central-1"): 14.5, ("us-east-1", "eu-west-1"): 69.5, ("us-east-1", "eu-west-2"): 76.0,
    ("us-east-1", "eu-central-1"): 91.5, ("us-east-1", "ap-southeast-1"): 212.0, ("us-east-1", "ap-northeast-1"): 146.0,
    ("us-east-2", "us-west-1"): 51.5, ("us-east-2", "us-west-2"): 51.5, ("us-east-2", "ca-central-1"): 24.5,
    ("us-east-2", "eu-west-1"): 79.0, ("us-east-2", "eu-west-2"): 86.0, ("us-east-2", "eu-central-1"): 102.0,
    ("us-east-2", "ap-southeast-1"): 200.0, ("us-east-2", "ap-northeast-1"): 134.0,
    ("us-west-1", "us-west-2"): 22.0, ("us-west-1", "ca-central-1"): 79.0, ("us-west-1", "eu-west-1"): 128.0,
    ("us-west-1", "eu-west-2"): 147.0, ("us-west-1", "eu-central-1"): 151.0, ("us-west-1", "ap-southeast-1"): 171.5,
    ("us-west-1", "ap-northeast-1"): 108.0,
    ("us-west-2", "ca-central-1"): 60.0, ("us-west-2", "eu-west-1"): 119.0, ("us-west-2", "eu-west-2"): 128.0,
    ("us-west-2", "eu-central-1"): 140.5, ("us-west-2", "ap-southeast-1"): 161.5, ("us-west-2", "ap-northeast-1"): 97.5,
    ("ca-central-1", "eu-west-1"): 70.0, ("ca-central-1", "eu-west-2"): 78.0, ("ca-central-1", "eu-central-1"): 92.0,
    ("ca-central-1", "ap-southeast-1"): 209.5, ("ca-central-1", "ap-northeast-1"): 143.5,
    ("eu-west-1", "eu-west-2"): 13.0, ("eu-west-1", "eu-central-1"): 26.5, ("eu-west-1", "ap-southeast-1"): 181.5,
    ("eu-west-1", "ap-northeast-1"): 201.0,
    ("eu-west-2", "eu-central-1"): 17.0, ("eu-west-2", "ap-southeast-1"): 171.0, ("eu-west-2", "ap-northeast-1"): 210.5,
    ("eu-central-1", "ap-southeast-1"): 157.5, ("eu-central-1", "ap-northeast-1"): 223.0,
    ("ap-southeast-1", "ap-northeast-1"): 68.5,
}
LATENCY_REGIONS = frozenset(region for pair in DEFAULT_RTT_MS for region in pair)
# Round trip assumed to a Region outside LATENCY_REGIONS (an ESTIMATE: a mid-range inter-continental figure of the
# table); such requests are counted in counters.latency.unknownRegions.
UNKNOWN_REGION_RTT_MS = 150.0
LATENCY_FIELDS = ("clientRegion", "seed", "jitter", "scale", "services", "regionPairs")
_LATENCY_SERVICE_KEY = re.compile(r"^(\*|[a-z0-9-]+(:[A-Za-z0-9]+)?)$")
_RTT_BY_PAIR = {tuple(sorted(pair)): ms for pair, ms in DEFAULT_RTT_MS.items()}
_SERVICE_MS_LOWER = {service: {action.lower(): ms for action, ms in actions.items()} for service, actions in DEFAULT_SERVICE_MS.items()}


class Identity:
    """What the proxy knows about one request: Region and service from the credential scope, operation, protocol."""

    def __init__(self, region: str | None, service: str | None, action: str | None, protocol: str) -> None:
        self.region = region
        self.service = service
        self.action = action
        self.protocol = protocol  # query | json | cbor | rest


def identify(method: str, path: str, headers: Any, body: bytes) -> Identity:
    split = urllib.parse.urlsplit(path)
    query = urllib.parse.parse_qs(split.query, keep_blank_values=True)
    region = service = None
    match = _CREDENTIAL.search(headers.get("Authorization", "") or "")
    if match is None and "X-Amz-Credential" in query:  # presigned URL
        match = _CREDENTIAL.search("Credential=" + query["X-Amz-Credential"][0])
    if match is not None:
        region, service = match.group(3), match.group(4).lower()
    if service is None and split.path.startswith("/2013-04-01/"):
        service = "route53"
    if service in GLOBAL_SERVICE_REGIONS:
        region = GLOBAL_SERVICE_REGIONS[service]

    content_type = (headers.get("Content-Type", "") or "").lower()
    target = headers.get("X-Amz-Target")
    action: str | None = None
    if target or content_type.startswith("application/x-amz-json-"):
        protocol = "json"
        action = target.rsplit(".", 1)[-1] if target else None
    elif (headers.get("smithy-protocol", "") or "").lower() == "rpc-v2-cbor" or content_type == "application/cbor":
        protocol = "cbor"
        cbor = _CBOR_PATH.match(split.path)
        action = cbor.group(1) if cbor else None
    elif "Action" in query or content_type.startswith("application/x-www-form-urlencoded"):
        protocol = "query"
        form = dict(query)
        if content_type.startswith("application/x-www-form-urlencoded"):
            text = _decoded(body, headers.get("Content-Encoding")).decode("utf-8", "replace")
            form.update(urllib.parse.parse_qs(text, keep_blank_values=True))
        action = form["Action"][0] if "Action" in form else None
    else:
        protocol = "rest"
        if service:
            action = _rest_operation(service, method, split.path, query)
    return Identity(region, service, action, protocol)


def _decoded(body: bytes, encoding: str | None) -> bytes:
    if encoding and encoding.lower() in ("gzip", "x-gzip"):  # CloudWatch PutMetricData request compression
        try:
            return gzip.decompress(body)
        except (OSError, EOFError, zlib.error):
            return b""
    return body


_rest_routes: dict[str, list[tuple[str, re.Pattern[str], list[str], int, str]]] = {}
_rest_lock = threading.Lock()


def _rest_operation(service: str, method: str, path: str, query: dict[str, list[str]]) -> str | None:
    """The operation name of a REST request (e.g. Route 53), matched against botocore's model of the service."""
    with _rest_lock:
        if service not in _rest_routes:
            _rest_routes[service] = _load_routes(BOTOCORE_NAMES.get(service, service))
        routes = _rest_routes[service]
    best: tuple[int, str] | None = None
    for route_method, pattern, required_query, weight, name in routes:
        if route_method == method and pattern.match(path) and all(q in query for q in required_query):
            if best is None or weight > best[0]:
                best = (weight, name)
    return best[1] if best else None


def _load_routes(model_name: str) -> list[tuple[str, re.Pattern[str], list[str], int, str]]:
    try:
        import botocore.session

        model = botocore.session.get_session().get_service_model(model_name)
    except Exception:  # unknown service or no botocore: no operation names
        return []
    if model.protocol not in ("rest-xml", "rest-json"):
        return []
    routes = []
    for name in model.operation_names:
        http = model.operation_model(name).http
        uri = http.get("requestUri", "/")
        uri_path, _, uri_query = uri.partition("?")
        literal = re.sub(r"\{[^}]+\}", "", uri_path)
        regex = re.sub(
            r"\\\{([^}]+?)(\\\+)?\\\}",
            lambda m: ".+" if m.group(2) else "[^/]+",
            re.escape(uri_path.rstrip("/")),
        )
        required = [part.split("=", 1)[0] for part in uri_query.split("&") if part]
        routes.append(
            (http.get("method", "POST"), re.compile(f"^{regex}/?$"), required, len(literal) + len(required), name)
        )
    return routes


# --- error responses in the wire format of each protocol ---------------------------------------------------------

_ERRORS = {
    # kind: (HTTP status, Query/REST-XML code, JSON/CBOR code, XML Type, message)
    "throttling": (400, "Throttling", "ThrottlingException", "Sender", "Rate exceeded"),
    "5xx": (503, "ServiceUnavailable", "ServiceUnavailable", "Receiver", "Service is unavailable"),
    "permanent": (403, "AccessDenied", "AccessDeniedException", "Sender", None),
    "lost-answer": (503, "ServiceUnavailable", "ServiceUnavailable", "Receiver", "Service is unavailable"),
}
_XML_NAMESPACES = {
    "route53": "https://route53.amazonaws.com/doc/2013-04-01/",
    "rds": "http://rds.amazonaws.com/doc/2014-10-31/",
    "monitoring": "http://monitoring.amazonaws.com/doc/2010-08-01/",
    "sns": "http://sns.amazonaws.com/doc/2010-03-31/",
}


def error_response(identity: Identity, kind: str, request_content_type: str | None) -> tuple[int, list[tuple[str, str]], bytes]:
    status, xml_code, json_code, side, message = _ERRORS[kind]
    service = identity.service or "unknown"
    if message is None:
        operation = identity.action or "*"
        message = (
            f"User: arn:aws:iam::123456789012:user/emulator is not authorized to perform: {service}:{operation} "
            "(permanent fault injected by emulator/fault_proxy.py)"
        )
    request_id = str(uuid.uuid4())
    headers = [("x-amzn-RequestId", request_id), ("x-emulator-fault", kind)]
    if identity.protocol in ("json", "cbor"):
        if kind == "permanent":
            status = 400  # JSON services answer AccessDeniedException with 400 (e.g. DynamoDB, EventBridge)
        type_name = f"com.amazonaws.dynamodb.v20120810#{json_code}" if service == "dynamodb" else json_code
        headers.append(("x-amzn-ErrorType", json_code))
        if service in QUERY_COMPATIBLE:
            headers.append(("x-amzn-query-error", f"{xml_code};{side}"))
        fields = {"__type": type_name, "message": message}
        if identity.protocol == "cbor":
            headers += [("Content-Type", "application/cbor"), ("smithy-protocol", "rpc-v2-cbor")]
            return status, headers, _cbor_text_map(fields)
        content_type = request_content_type if (request_content_type or "").startswith("application/x-amz-json-") else (
            "application/x-amz-json-1.0"
        )
        headers.append(("Content-Type", content_type))
        return status, headers, json.dumps(fields).encode()
    namespace = _XML_NAMESPACES.get(service)
    xmlns = f' xmlns="{namespace}"' if namespace else ""
    body = (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<ErrorResponse{xmlns}><Error><Type>{side}</Type>'
        f"<Code>{xml_code}</Code><Message>{_xml_escape(message)}</Message></Error>"
        f"<RequestId>{request_id}</RequestId></ErrorResponse>"
    )
    headers.append(("Content-Type", "text/xml"))
    return status, headers, body.encode()


def _xml_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _cbor_text_map(fields: dict[str, str]) -> bytes:
    """Minimal CBOR (RFC 8949) encoding of a small map of text strings."""

    def head(major: int, length: int) -> bytes:
        if length < 24:
            return bytes([major << 5 | length])
        if length < 256:
            return bytes([major << 5 | 24, length])
        return bytes([major << 5 | 25]) + length.to_bytes(2, "big")

    out = bytearray(head(5, len(fields)))
    for key, value in fields.items():
        for text in (key, value):
            data = text.encode()
            out += head(3, len(data)) + data
    return bytes(out)


# --- rules and counters -------------------------------------------------------------------------------------------


class RuleError(ValueError):
    pass


def _counter() -> dict[str, int]:
    return {"requests": 0, "forwarded": 0, **{fault: 0 for fault in FAULTS}}


def _latency_number(value: Any, name: str, high: float | None = None) -> float:
    """A finite number >= 0 (and < high when given), else a RuleError naming the field."""
    ok = not isinstance(value, bool) and isinstance(value, (int, float)) and math.isfinite(value) and value >= 0
    if not ok or (high is not None and value >= high):
        bound = f"in [0, {high:g})" if high is not None else "a non-negative number"
        raise RuleError(f"latency.{name} must be {bound}, not {json.dumps(value)}")
    return float(value)


def parse_latency(value: Any) -> dict[str, Any] | None:
    """The latency rule, validated and normalised; None (or absent) turns latency off."""
    if value is None:
        return None
    if not isinstance(value, dict):
        raise RuleError("latency must be an object {clientRegion, seed?, jitter?, scale?, services?, regionPairs?} or null")
    unknown = set(value) - set(LATENCY_FIELDS)
    if unknown:
        raise RuleError(f"latency: unknown fields {sorted(unknown)}; known: {list(LATENCY_FIELDS)}")
    client = value.get("clientRegion")
    if not isinstance(client, str) or not client:
        raise RuleError('latency.clientRegion is required: the Region the caller runs in, e.g. "us-west-2"')
    if client not in LATENCY_REGIONS:
        raise RuleError(f"latency.clientRegion {client!r} is not in the latency table; known: {sorted(LATENCY_REGIONS)}")
    seed = value.get("seed", 0)
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise RuleError(f"latency.seed must be an integer, not {json.dumps(seed)}")
    jitter = _latency_number(value.get("jitter", 0.0), "jitter", high=1.0)
    scale = _latency_number(value.get("scale", 1.0), "scale")

    raw_services = value.get("services", {})
    if not isinstance(raw_services, dict):
        raise RuleError('latency.services must be an object {"service" or "service:Action": ms}')
    services: dict[str, float] = {}
    for key, ms in raw_services.items():
        service, _, action = key.partition(":")
        normalised = _service(service) + (f":{action}" if action else "")
        if not _LATENCY_SERVICE_KEY.match(normalised):
            raise RuleError(f'latency.services key {key!r} must be "service", "service:Action" or "*"')
        if normalised in services:
            raise RuleError(f"latency.services names {normalised!r} twice")
        services[normalised] = _latency_number(ms, f"services[{key!r}]")

    raw_pairs = value.get("regionPairs", {})
    if not isinstance(raw_pairs, dict):
        raise RuleError('latency.regionPairs must be an object {"region-a|region-b": ms}')
    pairs: dict[str, float] = {}
    seen: set[tuple[str, ...]] = set()
    for key, ms in raw_pairs.items():
        regions = key.split("|")
        if len(regions) != 2 or regions[0] == regions[1]:
            raise RuleError(f'latency.regionPairs key {key!r} must be "region-a|region-b" with two different Regions')
        strangers = [r for r in regions if r not in LATENCY_REGIONS]
        if strangers:
            raise RuleError(f"latency.regionPairs key {key!r}: unknown Region {strangers[0]!r}; known: {sorted(LATENCY_REGIONS)}")
        if tuple(sorted(regions)) in seen:
            raise RuleError(f"latency.regionPairs names the pair {key!r} twice")
        seen.add(tuple(sorted(regions)))
        pairs[key] = _latency_number(ms, f"regionPairs[{key!r}]")
    return {"clientRegion": client, "seed": seed, "jitter": jitter, "scale": scale, "services": services, "regionPairs": pairs}


def service_ms(service: str | None, action: str | None, overrides: Mapping[str, float] | None = None) -> float:
    """Same-Region round trip of one call: override service:Action, override service, table action, table service, override *, table *."""
    overrides = {key.lower(): ms for key, ms in (overrides or {}).items()}
    service = service or "*"
    action = (action or "").lower()
    if action and f"{service}:{action}" in overrides:
        return overrides[f"{service}:{action}"]
    if service in overrides:
        return overrides[service]
    table = _SERVICE_MS_LOWER.get(service)
    if table is not None:
        return table.get(action, table["*"])
    return overrides.get("*", _SERVICE_MS_LOWER["*"]["*"])


def rtt_ms(client_region: str, region: str | None, overrides: Mapping[str, float] | None = None) -> tuple[float, bool]:
    """(round trip between the caller's Region and the request's, whether the pair is known); 0 for the same Region."""
    if region is None or region == client_region:
        return 0.0, True
    overrides = overrides or {}
    for key in (f"{client_region}|{region}", f"{region}|{client_region}"):
        if key in overrides:
            return overrides[key], True
    known = _RTT_BY_PAIR.get(tuple(sorted((client_region, region))))
    return (known, True) if known is not None else (UNKNOWN_REGION_RTT_MS, False)


def latency_ms(config: Mapping[str, Any], service: str | None, action: str | None, region: str | None, u: float) -> tuple[float, float, bool]:
    """(delay, its round-trip part, pair known) for one request: (serviceMs + rttMs) * scale * (1 + jitter * u), u in [-1, 1]."""
    rtt, known = rtt_ms(config["clientRegion"], region, config["regionPairs"])
    base = service_ms(service, action, config["services"]) + rtt
    return base * config["scale"] * (1.0 + config["jitter"] * u), rtt, known


class Faults:
    """The current rules, the seeded random source and the counters; thread-safe."""

    FIELDS = {"blackhole", "blackholeSeconds", "errorRate", "errorKinds", "errorServices", "errorRegions", "seed", "permanent",
              "loseAnswers", "latency"}

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._rules = self._parse({})
        self._random = random.Random(0)
        self._latency_random = random.Random(0)
        self._reset_counters()

    def _reset_counters(self) -> None:
        self._counters: dict[str, Any] = {
            "requests": 0,
            "forwarded": 0,
            "unsigned": 0,
            "faults": {fault: 0 for fault in FAULTS},
            "byRegion": {},
            "byService": {},
            "byOperation": {},
            "latency": {"requests": 0, "injectedMs": 0.0, "crossRegion": 0, "unknownRegions": {}, "byService": {}},
        }

    @classmethod
    def _parse(cls, spec: Any) -> dict[str, Any]:
        if not isinstance(spec, dict):
            raise RuleError("the body must be a JSON object")
        unknown = set(spec) - cls.FIELDS
        if unknown:
            raise RuleError(f"unknown fields {sorted(unknown)}; known: {sorted(cls.FIELDS)}")

        def strings(name: str, lower: bool = False) -> list[str]:
            value = spec.get(name, [])
            if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
                raise RuleError(f"{name} must be a list of non-empty strings")
            return [v.lower() for v in value] if lower else list(value)

        def number(name: str, default: float, low: float, high: float) -> float:
            value = spec.get(name, default)
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not low <= value <= high:
                raise RuleError(f"{name} must be a number in [{low}, {high}]")
            return float(value)

        kinds = strings("errorKinds") if "errorKinds" in spec else list(KINDS)
        if not kinds or not set(kinds) <= set(KINDS):
            raise RuleError(f"errorKinds must be a non-empty list of {list(KINDS)}")
        seed = spec.get("seed", 0)
        if isinstance(seed, bool) or not isinstance(seed, int):
            raise RuleError("seed must be an integer")
        permanent = []
        raw_permanent = spec.get("permanent", [])
        if not isinstance(raw_permanent, list):
            raise RuleError("permanent must be a list of {service, action?, region?}")
        for rule in raw_permanent:
            if not isinstance(rule, dict) or not isinstance(rule.get("service"), str) or set(rule) - {"service", "action", "region"}:
                raise RuleError("each permanent rule is {service, action?, region?}")
            if any(not isinstance(rule.get(k, ""), str) for k in ("action", "region")):
                raise RuleError("permanent action and region must be strings")
            permanent.append(
                {
                    "service": _service(rule["service"]),
                    **({"action": rule["action"]} if rule.get("action") else {}),
                    **({"region": rule["region"]} if rule.get("region") else {}),
                }
            )
        lose = []
        raw_lose = spec.get("loseAnswers", [])
        if not isinstance(raw_lose, list):
            raise RuleError("loseAnswers must be a list of {service, action?, region?, count}")
        for rule in raw_lose:
            if not isinstance(rule, dict) or not isinstance(rule.get("service"), str) or set(rule) - {"service", "action", "region", "count"}:
                raise RuleError("each loseAnswers rule is {service, action?, region?, count}")
            count = rule.get("count", 1)
            if isinstance(count, bool) or not isinstance(count, int) or count < 1:
                raise RuleError("loseAnswers count must be a positive integer")
            lose.append(
                {
                    "service": _service(rule["service"]),
                    **({"action": rule["action"]} if rule.get("action") else {}),
                    **({"region": rule["region"]} if rule.get("region") else {}),
                    "count": count,
                }
            )
        return {
            "blackhole": strings("blackhole"),
            "blackholeSeconds": number("blackholeSeconds", DEFAULT_BLACKHOLE_SECONDS, 0, 3600),
            "errorRate": number("errorRate", 0.0, 0.0, 1.0),
            "errorKinds": kinds,
            "errorServices": [_service(s) for s in strings("errorServices", lower=True)],
            "errorRegions": strings("errorRegions"),
            "seed": seed,
            "permanent": permanent,
            "loseAnswers": lose,
            "latency": parse_latency(spec.get("latency")),
        }

    def replace(self, spec: Any) -> dict[str, Any]:
        rules = self._parse(spec)
        with self._lock:
            self._rules = rules
            self._random = random.Random(rules["seed"])
            self._latency_random = random.Random(rules["latency"]["seed"] if rules["latency"] else 0)
            self._reset_counters()
            return self._snapshot()

    def clear(self) -> dict[str, Any]:
        with self._lock:
            self._rules = self._parse({})
            return self._snapshot()

    def snapshot(self) -> dict[str, Any]:
        with self._lock:
            return self._snapshot()

    def _snapshot(self) -> dict[str, Any]:
        return json.loads(json.dumps({"rules": self._rules, "counters": self._counters}))

    def decide(self, identity: Identity) -> str | None:
        """The fault for this request (blackhole, permanent, lost-answer, throttling, 5xx) or None to forward; counts it."""
        with self._lock:
            if identity.region is None or identity.service is None:
                self._counters["unsigned"] += 1
                return None
            rules = self._rules
            fault: str | None = None
            if identity.region in rules["blackhole"]:
                fault = "blackhole"
            elif any(_matches(rule, identity) for rule in rules["permanent"]):
                fault = "permanent"
            elif (lost := next((r for r in rules["loseAnswers"] if r["count"] > 0 and _matches(r, identity)), None)):
                lost["count"] -= 1  # spent: the rule answers only the next `count` matching requests
                fault = "lost-answer"
            elif (
                rules["errorRate"] > 0
                and (not rules["errorServices"] or identity.service in rules["errorServices"])
                and (not rules["errorRegions"] or identity.region in rules["errorRegions"])
                and self._random.random() < rules["errorRate"]
            ):
                fault = self._random.choice(rules["errorKinds"])
            operation = f"{identity.service}:{identity.action or '?'}"
            buckets = [
                self._counters,
                self._counters["byRegion"].setdefault(identity.region, _counter()),
                self._counters["byService"].setdefault(identity.service, _counter()),
                self._counters["byOperation"].setdefault(operation, _counter()),
            ]
            for bucket in buckets:
                bucket["requests"] += 1
                if fault is None:
                    bucket["forwarded"] += 1
                elif bucket is self._counters:
                    bucket["faults"][fault] += 1
                else:
                    bucket[fault] += 1
            return fault

    def latency_for(self, identity: Identity) -> float:
        """The delay in ms for this request under the latency rule (0 without one); draws the jitter and counts it."""
        with self._lock:
            config = self._rules["latency"]
            if config is None:
                return 0.0
            u = self._latency_random.uniform(-1.0, 1.0)  # one draw per request, jitter or not: a fixed sequence
            ms, rtt, known = latency_ms(config, identity.service, identity.action, identity.region, u)
            ms = round(ms, 3)
            counters = self._counters["latency"]
            counters["requests"] += 1
            counters["injectedMs"] = round(counters["injectedMs"] + ms, 3)
            if rtt > 0:
                counters["crossRegion"] += 1
            if not known:
                counters["unknownRegions"][identity.region] = counters["unknownRegions"].get(identity.region, 0) + 1
            bucket = counters["byService"].setdefault(identity.service or "unsigned", {"requests": 0, "injectedMs": 0.0})
            bucket["requests"] += 1
            bucket["injectedMs"] = round(bucket["injectedMs"] + ms, 3)
            return ms

    def blackholed(self, region: str) -> bool:
        with self._lock:
            return region in self._rules["blackhole"]

    def blackhole_seconds(self) -> float:
        with self._lock:
            return self._rules["blackholeSeconds"]


def _service(name: str) -> str:
    name = name.lower()
    return SERVICE_ALIASES.get(name, name)


def _matches(rule: dict[str, str], identity: Identity) -> bool:
    if rule["service"] != identity.service:
        return False
    if "region" in rule and rule["region"] != identity.region:
        return False
    return "action" not in rule or (identity.action or "").lower() == rule["action"].lower()


# --- the HTTP server ----------------------------------------------------------------------------------------------


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], proxy: FaultProxy) -> None:
        self.proxy = proxy
        super().__init__(address, _Handler)

    def handle_error(self, request: Any, client_address: Any) -> None:  # quiet: clients that hang up are normal
        pass


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # TCP_NODELAY: a reply goes out as two writes (headers, then body); with Nagle's algorithm the body waits for
    # the client's delayed ACK of the headers (up to 40 ms on Linux), time a client counts after its response's
    # headers arrived, so a benchmark would book the rig's delay as the client's own work.
    disable_nagle_algorithm = True
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:  # no line per request (the launcher is quiet)
        pass

    def do_GET(self) -> None:
        self._handle()

    do_POST = do_PUT = do_DELETE = do_HEAD = do_PATCH = do_OPTIONS = do_GET

    def _handle(self) -> None:
        proxy = self.server.proxy
        body = self._read_body()
        if body is None:
            return
        path = urllib.parse.urlsplit(self.path).path
        if path == CONTROL_PATH or path == CONTROL_PATH + "/":
            self._control(body)
            return
        if path.startswith("/moto-api"):
            self._forward(body)
            return
        identity = identify(self.command, self.path, self.headers, body)
        delay_ms = proxy.faults.latency_for(identity)
        fault = proxy.faults.decide(identity)
        if delay_ms > 0:  # in this request's own thread, so concurrent requests overlap; a stopping proxy cuts it short
            proxy.stopping.wait(delay_ms / 1000.0)
        if fault is None:
            self._forward(body)
        elif fault == "blackhole":
            self._hold(identity.region or "")
        elif fault == "lost-answer":
            self._exchange(body)  # moto applies it; its answer goes nowhere
            status, headers, payload = error_response(identity, fault, self.headers.get("Content-Type"))
            self._reply(status, headers, payload, add_date=True)
        else:
            status, headers, payload = error_response(identity, fault, self.headers.get("Content-Type"))
            self._reply(status, headers, payload, add_date=True)

    def _read_body(self) -> bytes | None:
        if "chunked" in (self.headers.get("Transfer-Encoding", "") or "").lower():
            chunks = []
            while True:
                size_line = self.rfile.readline(65537)
                if not size_line:
                    self.close_connection = True
                    return None
                size = int(size_line.split(b";", 1)[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline(65537) not in (b"\r\n", b"\n", b""):
                        pass  # trailers
                    return b"".join(chunks)
                chunks.append(self.rfile.read(size))
                self.rfile.readline(65537)
        length = int(self.headers.get("Content-Length", "0") or "0")
        return self.rfile.read(length) if length > 0 else b""

    def _forward(self, body: bytes) -> None:
        answer = self._exchange(body)
        if answer is None:
            message = b"emulator fault proxy: moto did not answer"
            self._reply(502, [("Content-Type", "text/plain")], message, add_date=True)
            return
        status, headers, payload, reason = answer
        self._reply(status, headers, payload, reason=reason)

    def _exchange(self, body: bytes) -> tuple[int, list[tuple[str, str]], bytes, str] | None:
        """The request sent to moto as received, and moto's answer; None if moto did not answer."""
        proxy = self.server.proxy
        connection_tokens = {t.strip().lower() for t in (self.headers.get("Connection", "") or "").split(",")}
        upstream = HTTPConnection(proxy.upstream_host, proxy.upstream_port, timeout=UPSTREAM_TIMEOUT_SECONDS)
        try:
            upstream.putrequest(self.command, self.path, skip_host=True, skip_accept_encoding=True)
            for name, value in self.headers.items():
                lower = name.lower()
                if lower in HOP_BY_HOP or lower in connection_tokens or lower == "content-length":
                    continue
                upstream.putheader(name, value)
            if body or self.command in ("POST", "PUT", "PATCH"):
                upstream.putheader("Content-Length", str(len(body)))
            upstream.endheaders(body if body else None)
            response = upstream.getresponse()
            payload = response.read()
            headers = [(n, v) for n, v in response.getheaders() if n.lower() not in HOP_BY_HOP]
            return response.status, headers, payload, response.reason
        except OSError:
            return None
        finally:
            upstream.close()

    def _reply(
        self,
        status: int,
        headers: Iterable[tuple[str, str]],
        payload: bytes,
        reason: str | None = None,
        add_date: bool = False,
    ) -> None:
        self.send_response_only(status, reason)
        head = self.command == "HEAD"  # keeps the upstream Content-Length, sends no body
        bodiless = status in (204, 304) or 100 <= status < 200
        for name, value in headers:
            if name.lower() != "content-length" or head:
                self.send_header(name, value)
        if add_date:
            self.send_header("Date", formatdate(usegmt=True))
        if not head and not bodiless:
            self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        if not head and not bodiless:
            self.wfile.write(payload)

    def _hold(self, region: str) -> None:
        """Black hole: never answer; close when the client leaves, the rule goes, the cap passes or the proxy stops."""
        proxy = self.server.proxy
        self.close_connection = True
        deadline = time.monotonic() + proxy.faults.blackhole_seconds()
        with proxy.held_lock:
            proxy.held += 1
        try:
            while not proxy.stopping.is_set() and proxy.faults.blackholed(region):
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    break
                readable, _, _ = select.select([self.connection], [], [], min(0.2, remaining))
                if readable:
                    try:
                        if not self.connection.recv(65536):
                            break  # the client gave up and closed the connection
                    except OSError:
                        break
        finally:
            with proxy.held_lock:
                proxy.held -= 1
            try:
                self.connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def _control(self, body: bytes) -> None:
        faults = self.server.proxy.faults
        try:
            if self.command == "GET":
                state = faults.snapshot()
            elif self.command in ("POST", "PUT"):
                try:
                    spec = json.loads(body or b"{}")
                except ValueError as error:
                    raise RuleError(f"invalid JSON: {error}") from error
                state = faults.replace(spec)
            elif self.command == "DELETE":
                state = faults.clear()
            else:
                self._json(405, {"error": "use GET, POST or DELETE"})
                return
        except RuleError as error:
            self._json(400, {"error": str(error)})
            return
        with self.server.proxy.held_lock:
            state["counters"]["heldConnections"] = self.server.proxy.held
        self._json(200, state)

    def _json(self, status: int, value: Any) -> None:
        self._reply(status, [("Content-Type", "application/json")], json.dumps(value).encode(), add_date=True)


class FaultProxy:
    """The proxy on host:port (0 = a free port) forwarding to the moto server at upstream_host:upstream_port.

    EMULATOR_LATENCY in `environ` (default os.environ), a JSON latency rule as posted under "latency", is the
    proxy's initial rule set; a malformed one raises RuleError (a ValueError) naming the field, before any port
    is bound. Like any rule it lasts until the next POST or DELETE of /_faults.
    """

    def __init__(
        self, host: str, port: int, upstream_host: str, upstream_port: int, environ: Mapping[str, str] | None = None
    ) -> None:
        self.upstream_host = upstream_host
        self.upstream_port = upstream_port
        self.faults = Faults()
        raw_latency = (os.environ if environ is None else environ).get("EMULATOR_LATENCY", "").strip()
        if raw_latency:
            try:
                spec = json.loads(raw_latency)
            except ValueError as error:
                raise RuleError(f"EMULATOR_LATENCY: invalid JSON: {error}") from None
            try:
                self.faults.replace({"latency": spec})
            except RuleError as error:
                raise RuleError(f"EMULATOR_LATENCY: {error}") from None
        self.stopping = threading.Event()
        self.held = 0
        self.held_lock = threading.Lock()
        self._server = _Server((host, port), self)
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.1}, name="fault-proxy", daemon=True
        )

    @property
    def host(self) -> str:
        return str(self._server.server_address[0])

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    def start(self) -> FaultProxy:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.stopping.set()
        self._server.shutdown()
        self._server.server_close()
