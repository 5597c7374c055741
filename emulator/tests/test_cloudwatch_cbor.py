"""EMULATOR CODE (not product code): CloudWatch answers Smithy RPC v2 CBOR (cloudwatch_cbor.py)."""

from __future__ import annotations

import datetime
import gzip
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from botocore.exceptions import ClientError
from botocore.parsers import RpcV2CBORParser
from botocore.serialize import RpcV2CBORSerializer
from conftest import Emulator, cbor_client

PATH = "/service/GraniteServiceVersion20100801/operation/"
# moto finds the service of a request by its signature's credential scope; it checks no signature.
SIGNED = "AWS4-HMAC-SHA256 Credential=testing/20260101/us-west-2/monitoring/aws4_request, SignedHeaders=host, Signature=0"


@pytest.fixture()
def cloudwatch(fresh: Emulator, tmp_path: Path) -> tuple[Any, list[Any]]:
    """A CBOR CloudWatch client and the requests it sent (to check that they were CBOR)."""
    client = cbor_client(fresh.url, tmp_path, "us-west-2")
    sent: list[Any] = []
    client.meta.events.register("before-send", lambda request, **_: sent.append(request))
    return client, sent


def test_alarms_and_metrics_round_trip_over_cbor(cloudwatch: tuple[Any, list[Any]]) -> None:
    client, sent = cloudwatch
    client.put_metric_alarm(
        AlarmName="lag", Namespace="AWS/RDS", MetricName="ReplicaLag", Statistic="Maximum", Period=60,
        EvaluationPeriods=2, Threshold=30.5, ComparisonOperator="GreaterThanThreshold",
        Dimensions=[{"Name": "DBInstanceIdentifier", "Value": "orders-replica"}], AlarmActions=["arn:aws:sns:us-west-2:123456789012:t"],
    )
    now = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
    client.put_metric_data(Namespace="AWS/RDS", MetricData=[
        {"MetricName": "ReplicaLag", "Value": v, "Timestamp": now, "Unit": "Seconds",
         "Dimensions": [{"Name": "DBInstanceIdentifier", "Value": "orders-replica"}]} for v in (10.0, 50.0)])
    client.set_alarm_state(AlarmName="lag", StateValue="ALARM", StateReason="lag above 30 s")

    alarm = client.describe_alarms(AlarmNames=["lag"])["MetricAlarms"][0]
    assert alarm["StateValue"] == "ALARM" and alarm["StateReason"] == "lag above 30 s"
    assert alarm["Threshold"] == 30.5 and alarm["EvaluationPeriods"] == 2
    assert alarm["Dimensions"] == [{"Name": "DBInstanceIdentifier", "Value": "orders-replica"}]
    assert alarm["AlarmActions"] == ["arn:aws:sns:us-west-2:123456789012:t"]
    assert isinstance(alarm["StateUpdatedTimestamp"], datetime.datetime)  # a CBOR tag 1 timestamp, parsed as one
    assert abs((alarm["StateUpdatedTimestamp"] - now).total_seconds()) < 60

    points = client.get_metric_statistics(
        Namespace="AWS/RDS", MetricName="ReplicaLag", Statistics=["Maximum", "SampleCount"], Period=60,
        Dimensions=[{"Name": "DBInstanceIdentifier", "Value": "orders-replica"}],
        StartTime=now - datetime.timedelta(minutes=5), EndTime=now + datetime.timedelta(minutes=5),
    )["Datapoints"]
    assert [(p["Maximum"], p["SampleCount"], p["Unit"]) for p in points] == [(50.0, 2.0, "Seconds")]
    assert points[0]["Timestamp"] == now  # the timestamp sent went through JSON into moto and back as CBOR

    assert sent and all(r.url.split("/", 3)[3].startswith(PATH[1:]) for r in sent)
    assert all(r.headers["smithy-protocol"] == b"rpc-v2-cbor" for r in sent)


def test_errors_are_cbor_with_code_status_and_query_error(cloudwatch: tuple[Any, list[Any]]) -> None:
    client, _ = cloudwatch
    with pytest.raises(ClientError) as missing:
        client.delete_dashboards(DashboardNames=["nope"])
    assert missing.value.response["Error"]["Code"] == "ResourceNotFound"
    assert "does not exist" in missing.value.response["Error"]["Message"]
    assert missing.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404
    headers = missing.value.response["ResponseMetadata"]["HTTPHeaders"]
    assert headers["content-type"] == "application/cbor" and headers["smithy-protocol"] == "rpc-v2-cbor"
    assert headers["x-amzn-query-error"] == "ResourceNotFound;Sender"  # moto's, kept: CloudWatch is awsQueryCompatible


def test_a_gzip_compressed_request_is_inflated(fresh: Emulator, tmp_path: Path) -> None:
    # The AWS SDKs compress PutMetricData bodies (requestcompression trait); botocore's client would only
    # above 10 KiB, so the request is built by hand here with botocore's CBOR serializer.
    client = cbor_client(fresh.url, tmp_path, "us-west-2")
    operation = client.meta.service_model.operation_model("PutMetricData")
    request = RpcV2CBORSerializer().serialize_to_request(
        {"Namespace": "Custom", "MetricData": [{"MetricName": "Lag", "Value": 7.0}]}, operation)
    raw = urllib.request.Request(fresh.url + request["url_path"], data=gzip.compress(request["body"]), method="POST", headers={
        **request["headers"], "Content-Encoding": "gzip",
        "Authorization": SIGNED,
    })
    with urllib.request.urlopen(raw, timeout=10) as response:
        assert response.status == 200
        assert response.headers["smithy-protocol"] == "rpc-v2-cbor"
    listed = client.list_metrics(Namespace="Custom")["Metrics"]
    assert [m["MetricName"] for m in listed] == ["Lag"]


def test_json_clients_of_cloudwatch_are_not_translated(fresh: Emulator, tmp_path: Path) -> None:
    # botocore's own choice for CloudWatch is JSON 1.0; what it writes, the CBOR client reads, and back.
    json_client = fresh.client("cloudwatch", "us-west-2")
    assert json_client.meta.service_model.resolved_protocol == "json"
    json_client.put_metric_alarm(AlarmName="a", Namespace="n", MetricName="m", Statistic="Average", Period=60,
                                 EvaluationPeriods=1, Threshold=1, ComparisonOperator="GreaterThanThreshold")
    cbor = cbor_client(fresh.url, tmp_path, "us-west-2")
    assert [a["AlarmName"] for a in cbor.describe_alarms()["MetricAlarms"]] == ["a"]
    cbor.delete_alarms(AlarmNames=["a"])
    assert json_client.describe_alarms()["MetricAlarms"] == []


def test_an_unknown_operation_on_the_cbor_path_is_moto_s_404(fresh: Emulator) -> None:
    raw = urllib.request.Request(fresh.url + PATH + "NoSuchOperation", data=b"\xa0", method="POST", headers={
        "smithy-protocol": "rpc-v2-cbor", "Content-Type": "application/cbor", "Authorization": SIGNED})
    with pytest.raises(urllib.error.HTTPError) as answered:
        urllib.request.urlopen(raw, timeout=10)
    assert answered.value.code == 404


def test_a_cbor_answer_parses_with_the_output_shape(fresh: Emulator, tmp_path: Path) -> None:
    # The bytes themselves, not just what a client makes of them: a CBOR map, parsed by botocore's CBOR parser.
    client = cbor_client(fresh.url, tmp_path, "us-west-2")
    client.put_metric_alarm(AlarmName="raw", Namespace="n", MetricName="m", Statistic="Average", Period=60,
                            EvaluationPeriods=1, Threshold=2, ComparisonOperator="GreaterThanThreshold")
    operation = client.meta.service_model.operation_model("DescribeAlarms")
    request = RpcV2CBORSerializer().serialize_to_request({"AlarmNames": ["raw"]}, operation)
    raw = urllib.request.Request(fresh.url + request["url_path"], data=request["body"], method="POST", headers={
        **request["headers"],
        "Authorization": SIGNED,
    })
    with urllib.request.urlopen(raw, timeout=10) as response:
        body = response.read()
        assert response.headers["Content-Type"] == "application/cbor"
        assert int(response.headers["Content-Length"]) == len(body)
    assert body[0] >> 5 == 5  # major type 5: a map
    parsed = RpcV2CBORParser().parse({"body": body, "headers": {}, "status_code": 200}, operation.output_shape)
    assert [a["AlarmName"] for a in parsed["MetricAlarms"]] == ["raw"] and parsed["MetricAlarms"][0]["Threshold"] == 2.0
