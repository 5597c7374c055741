"""EMULATOR CODE (not product code): conditional writes are atomic under concurrent requests."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from botocore.config import Config
from botocore.exceptions import ClientError
from conftest import Emulator

import boto3

RACERS = 64
ROUNDS = 5


def table(emulator: Emulator, name: str):  # type: ignore[no-untyped-def]
    client = boto3.client(
        "dynamodb",
        region_name="us-west-2",
        endpoint_url=emulator.url,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        config=Config(max_pool_connections=RACERS, retries={"max_attempts": 1}),
    )
    client.create_table(
        TableName=name,
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    return client


def take(client, name: str, version: int, owner: int) -> bool:  # type: ignore[no-untyped-def]
    try:
        client.update_item(
            TableName=name,
            Key={"pk": {"S": "STATE"}},
            UpdateExpression="SET version = :next, holder = :owner",
            ConditionExpression="attribute_not_exists(version) OR version = :version",
            ExpressionAttributeValues={
                ":next": {"N": str(version + 1)},
                ":version": {"N": str(version)},
                ":owner": {"N": str(owner)},
            },
        )
        return True
    except ClientError as error:
        assert error.response["Error"]["Code"] == "ConditionalCheckFailedException"
        return False


def test_exactly_one_of_many_concurrent_version_conditioned_updates_wins(emulator: Emulator) -> None:
    client = table(emulator, "race")
    with ThreadPoolExecutor(RACERS) as pool:
        for version in range(ROUNDS):
            winners = [owner for owner, won in enumerate(
                pool.map(lambda owner: take(client, "race", version, owner), range(RACERS))) if won]
            assert len(winners) == 1, f"round {version}: {len(winners)} writers all passed the same condition"
            item = client.get_item(TableName="race", Key={"pk": {"S": "STATE"}}, ConsistentRead=True)["Item"]
            assert item["version"]["N"] == str(version + 1)
            assert item["holder"]["N"] == str(winners[0])
