"""EMULATOR CODE (not product code): CloudWatch over Smithy RPC v2 CBOR, translated to moto's JSON 1.0.

AWS behaviour reproduced, with its source: CloudWatch's service model lists the protocols
`smithy-rpc-v2-cbor`, `json` and `query` (botocore's cloudwatch/2010-08-01/service-2.json,
metadata.protocols). An RPC v2 CBOR request is a POST to `/service/<targetPrefix>/operation/<Operation>`
with `smithy-protocol: rpc-v2-cbor` and a CBOR body; the response is CBOR with the same header,
errors a CBOR map with `__type` and `message` (Smithy 2.0 spec, "RPC v2 CBOR protocol"). CloudWatch
is awsQueryCompatible, so an error also carries `x-amzn-query-error: <Query code>;<Sender|Receiver>`.
The AWS SDK for Java speaks this to CloudWatch from 2.40.6 on; botocore prefers JSON 1.0.

moto 5.2.5 serves CloudWatch over Query and JSON 1.0 only: the CBOR path answers 404 (its URL map
has `/` alone) and a CBOR body on `/` fails to decode (HTTP 500). Neither moto nor Werkzeug has a
CBOR codec, botocore has both directions, driven by the service model's shapes.

The translation: a CBOR request for CloudWatch is decoded with botocore's RPC v2 CBOR parser against
the operation's input shape, re-encoded with botocore's JSON serializer (so `X-Amz-Target`,
timestamps and blobs are JSON 1.0's), and handed to moto as a JSON 1.0 request on `/`; moto's JSON
answer is parsed with botocore's JSON parser against the output shape and re-encoded as CBOR with
the output shape's types (timestamps as tag 1, doubles as float64). Errors keep moto's status and
`x-amzn-query-error` header, their body becomes a CBOR map of `__type` and `message`. Requests of
other services, and JSON or Query requests to CloudWatch, go to moto unchanged. A gzip-compressed
body (the SDK compresses PutMetricData) is inflated first.

Not modelled: other services over CBOR (none of ours uses it), event streams (CloudWatch has none).
"""

from __future__ import annotations

import gzip
import io
import json
import re
from typing import Any, Callable, Iterable

from botocore.loaders import create_loader
from botocore.model import OperationModel, ServiceModel
from botocore.parsers import JSONParser, RpcV2CBORParser
from botocore.serialize import JSONSerializer, RpcV2CBORSerializer
from moto.moto_server.werkzeug_app import DomainDispatcherApplication

_PATH = re.compile(r"^/service/([^/]+)/operation/([^/?]+)$")
_APPLIED = "_region_failover_cloudwatch_cbor"


def _json_model() -> ServiceModel:
    """CloudWatch's botocore model as JSON 1.0, what moto answers (the shapes are those of every protocol)."""
    raw = create_loader().load_service_model("cloudwatch", "service-2")
    metadata = dict(raw["metadata"], protocol="json", protocols=["json"])
    return ServiceModel(dict(raw, metadata=metadata), service_name="cloudwatch")


_JSON_MODEL = _json_model()
_TARGET_PREFIX = _JSON_MODEL.metadata["targetPrefix"]  # GraniteServiceVersion20100801


class _Encoder(RpcV2CBORSerializer):
    """botocore's CBOR writer, used here for responses (it was written for requests; the types are the same)."""

    def structure(self, value: dict[str, Any], shape: Any) -> bytes:
        out = bytearray()
        self._serialize_data_item(out, value, shape)
        return bytes(out)

    def text_map(self, fields: dict[str, str]) -> bytes:
        out = bytearray()
        out.extend(self._get_initial_byte(self.MAP_MAJOR_TYPE, len(fields)))  # error bodies have < 24 fields
        for key, value in fields.items():
            self._serialize_type_string(out, key, None, None)
            self._serialize_type_string(out, value, None, None)
        return bytes(out)


def is_cbor(environ: dict[str, Any]) -> bool:
    protocol = (environ.get("HTTP_SMITHY_PROTOCOL") or "").lower()
    content_type = (environ.get("CONTENT_TYPE") or "").lower()
    return protocol == "rpc-v2-cbor" or content_type.startswith("application/cbor")


def _operation(environ: dict[str, Any]) -> OperationModel | None:
    """The CloudWatch operation this CBOR request names, else None (not ours: moto answers as before)."""
    match = _PATH.match(environ.get("PATH_INFO") or "")
    if match is None or match.group(1) != _TARGET_PREFIX or not is_cbor(environ):
        return None
    if match.group(2) not in _JSON_MODEL.operation_names:
        return None  # moto's 404 is as good an answer for an unknown operation
    return _JSON_MODEL.operation_model(match.group(2))


def _read_body(environ: dict[str, Any]) -> bytes:
    length = int(environ.get("CONTENT_LENGTH") or 0)
    body = environ["wsgi.input"].read(length) if length else b""
    if (environ.get("HTTP_CONTENT_ENCODING") or "").lower() in ("gzip", "x-gzip"):
        body = gzip.decompress(body)
    return body


def decode_request(body: bytes, operation: OperationModel) -> dict[str, Any]:
    """A CBOR request body as botocore parameters (datetime timestamps, bytes blobs)."""
    if operation.input_shape is None or body == b"":
        return {}
    parsed = RpcV2CBORParser().parse({"body": body, "headers": {}, "status_code": 200}, operation.input_shape)
    parsed.pop("ResponseMetadata", None)
    return parsed


def encode_response(status: int, headers: dict[str, str], body: bytes, operation: OperationModel) -> bytes:
    """moto's JSON 1.0 answer to `operation` as the CBOR body CloudWatch would send."""
    lowered = {k.lower(): v for k, v in headers.items()}
    if status >= 300:
        try:
            error = json.loads(body or b"{}")
        except ValueError:  # not JSON (moto's HTML 500 page): say so in a CBOR error of the right status
            error = {"__type": "InternalFailure", "message": body.decode("utf-8", "replace")[:500]}
        fields = {"__type": str(error.get("__type") or error.get("code") or lowered.get("x-amzn-errortype", ""))}
        message = error.get("message", error.get("Message"))
        if message is not None:
            fields["message"] = str(message)
        return _Encoder().text_map(fields)
    if operation.output_shape is None:
        return b""
    parsed = JSONParser().parse({"body": body, "headers": lowered, "status_code": status}, operation.output_shape)
    parsed.pop("ResponseMetadata", None)
    return _Encoder().structure(parsed, operation.output_shape)


def _as_json_environ(environ: dict[str, Any], operation: OperationModel, params: dict[str, Any]) -> dict[str, Any]:
    request = JSONSerializer().serialize_to_request(params, operation)
    body = request["body"] if isinstance(request["body"], bytes) else request["body"].encode("utf-8")
    translated = {k: v for k, v in environ.items() if k not in ("HTTP_SMITHY_PROTOCOL", "HTTP_CONTENT_ENCODING")}
    translated.update(
        PATH_INFO="/",
        RAW_URI="/",
        REQUEST_URI="/",
        QUERY_STRING="",
        CONTENT_TYPE=request["headers"]["Content-Type"],
        CONTENT_LENGTH=str(len(body)),
        HTTP_X_AMZ_TARGET=request["headers"]["X-Amz-Target"],
        HTTP_ACCEPT="application/json",
    )
    translated["wsgi.input"] = io.BytesIO(body)
    return translated


def _serve(original: Callable[..., Iterable[bytes]], app: Any, environ: dict[str, Any],
           start_response: Callable[..., Any], operation: OperationModel) -> Iterable[bytes]:
    params = decode_request(_read_body(environ), operation)
    captured: dict[str, Any] = {}

    def capture(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Callable[[bytes], None]:
        captured["status"], captured["headers"] = status, headers
        return lambda data: None  # moto's Flask apps return their body; none writes through this

    result = original(app, _as_json_environ(environ, operation, params), capture)
    try:
        body = b"".join(result)
    finally:
        if hasattr(result, "close"):
            result.close()
    status = int(captured["status"].split(" ", 1)[0])
    cbor = encode_response(status, dict(captured["headers"]), body, operation)
    dropped = {"content-type", "content-length", "content-encoding", "x-amz-crc32"}
    headers = [(k, v) for k, v in captured["headers"] if k.lower() not in dropped]
    headers += [("Content-Type", "application/cbor"), ("smithy-protocol", "rpc-v2-cbor"),
                ("Content-Length", str(len(cbor)))]
    start_response(captured["status"], headers)
    return [cbor]


def apply() -> None:
    """Idempotent: moto's WSGI dispatcher answers CloudWatch RPC v2 CBOR requests."""
    if getattr(DomainDispatcherApplication, _APPLIED, False):
        return
    original = DomainDispatcherApplication.__call__

    def __call__(self: DomainDispatcherApplication, environ: dict[str, Any], start_response: Any) -> Any:
        operation = _operation(environ)
        if operation is None:
            return original(self, environ, start_response)
        return _serve(original, self, environ, start_response, operation)

    DomainDispatcherApplication.__call__ = __call__
    setattr(DomainDispatcherApplication, _APPLIED, True)
