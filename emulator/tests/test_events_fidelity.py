"""EMULATOR CODE (not product code): a rule's target receives the whole event, account included."""

from __future__ import annotations

import json

from conftest import Emulator

# EventBridge User Guide, "Amazon EventBridge events": the top-level fields of every event.
DOCUMENTED_FIELDS = ["version", "id", "detail-type", "source", "account", "time", "region", "resources", "detail"]


def test_a_target_on_a_custom_bus_receives_every_documented_field(fresh: Emulator) -> None:
    events = fresh.client("events", "us-west-2")
    sqs = fresh.client("sqs", "us-west-2")
    events.create_event_bus(Name="orders")
    queue = sqs.create_queue(QueueName="orders-target")["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    events.put_rule(
        Name="orders", EventBusName="orders",
        EventPattern=json.dumps({"source": ["regionfailover.operator"], "account": ["123456789012"]}),
    )
    events.put_targets(Rule="orders", EventBusName="orders", Targets=[{"Id": "queue", "Arn": arn}])

    events.put_events(Entries=[{"Source": "regionfailover.operator", "DetailType": "Failback Requested",
                                "Detail": json.dumps({"plan": "orders-db"}), "EventBusName": "orders"}])

    messages = sqs.receive_message(QueueUrl=queue, MaxNumberOfMessages=10)["Messages"]
    assert len(messages) == 1
    event = json.loads(messages[0]["Body"])
    assert list(event) == DOCUMENTED_FIELDS
    assert event["account"] == "123456789012"
    assert event["region"] == "us-west-2"
    assert event["detail-type"] == "Failback Requested"
    assert event["detail"] == {"plan": "orders-db"}


def test_an_input_transformer_still_decides_what_the_target_receives(fresh: Emulator) -> None:
    events = fresh.client("events", "us-west-2")
    sqs = fresh.client("sqs", "us-west-2")
    queue = sqs.create_queue(QueueName="transformed")["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    events.put_rule(Name="transformed", EventPattern=json.dumps({"source": ["regionfailover"]}))
    events.put_targets(Rule="transformed", Targets=[{
        "Id": "queue", "Arn": arn,
        "InputTransformer": {"InputPathsMap": {"plan": "$.detail.plan"}, "InputTemplate": '{"plan": "<plan>"}'},
    }])

    events.put_events(Entries=[{"Source": "regionfailover", "DetailType": "Failover Completed",
                                "Detail": json.dumps({"plan": "orders-db"})}])

    body = sqs.receive_message(QueueUrl=queue, MaxNumberOfMessages=10)["Messages"][0]["Body"]
    assert json.loads(body) == {"plan": "orders-db"}
