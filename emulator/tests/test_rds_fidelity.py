"""EMULATOR CODE (not product code): RDS behaviour served over HTTP (Query protocol)."""

from __future__ import annotations

import time
from typing import Any

import pytest
from botocore.exceptions import ClientError
from conftest import PROMOTION_SECONDS, Emulator

PRIMARY = "orders-db"
REPLICA = "orders-db-replica"


def describe(rds: Any, identifier: str) -> dict[str, Any]:
    return rds.describe_db_instances(DBInstanceIdentifier=identifier)["DBInstances"][0]


@pytest.fixture()
def topology(fresh: Emulator) -> tuple[Any, Any, str, str]:
    """orders-db in us-east-1 and its cross-region read replica in us-west-2."""
    east = fresh.client("rds", "us-east-1")
    west = fresh.client("rds", "us-west-2")
    primary_arn = east.create_db_instance(
        DBInstanceIdentifier=PRIMARY,
        Engine="mysql",
        DBInstanceClass="db.t3.micro",
        AllocatedStorage=20,
        MasterUsername="admin",
        MasterUserPassword="password123",
    )["DBInstance"]["DBInstanceArn"]
    replica_arn = west.create_db_instance_read_replica(
        DBInstanceIdentifier=REPLICA,
        SourceDBInstanceIdentifier=primary_arn,
        DBInstanceClass="db.t3.micro",
    )["DBInstance"]["DBInstanceArn"]
    return east, west, primary_arn, replica_arn


def test_cross_region_replica_is_linked_on_both_sides(topology: tuple[Any, Any, str, str]) -> None:
    east, west, primary_arn, replica_arn = topology

    replica = describe(west, REPLICA)
    assert replica["ReadReplicaSourceDBInstanceIdentifier"] == primary_arn
    assert replica_arn == "arn:aws:rds:us-west-2:123456789012:db:orders-db-replica"
    assert describe(east, PRIMARY)["ReadReplicaDBInstanceIdentifiers"] == [replica_arn]


def test_cross_region_replica_lives_in_its_own_region(topology: tuple[Any, Any, str, str]) -> None:
    east, west, _, _ = topology

    replica, primary = describe(west, REPLICA), describe(east, PRIMARY)

    assert replica["AvailabilityZone"] == "us-west-2a"
    assert replica["Endpoint"]["Address"] == "orders-db-replica.aaaaaaaaaa.us-west-2.rds.amazonaws.com"
    replica_groups = [g["VpcSecurityGroupId"] for g in replica["VpcSecurityGroups"]]
    primary_groups = [g["VpcSecurityGroupId"] for g in primary["VpcSecurityGroups"]]
    assert len(replica_groups) == 1 and replica_groups != primary_groups


def test_promotion_is_modifying_then_standalone_on_both_sides(topology: tuple[Any, Any, str, str]) -> None:
    east, west, primary_arn, replica_arn = topology

    started = time.monotonic()
    promoted = west.promote_read_replica(DBInstanceIdentifier=REPLICA, BackupRetentionPeriod=7)["DBInstance"]

    # As in the AWS CLI reference example: modifying, still naming its source.
    assert promoted["DBInstanceStatus"] == "modifying"
    assert promoted["ReadReplicaSourceDBInstanceIdentifier"] == primary_arn
    during = describe(west, REPLICA)
    assert during["DBInstanceStatus"] == "modifying"
    assert during["BackupRetentionPeriod"] == 7
    assert describe(east, PRIMARY)["ReadReplicaDBInstanceIdentifiers"] == [replica_arn]
    assert time.monotonic() - started < PROMOTION_SECONDS, "too slow to observe the modifying window"

    while describe(west, REPLICA)["DBInstanceStatus"] == "modifying":
        assert time.monotonic() - started < PROMOTION_SECONDS + 5, "promotion never finished"
        time.sleep(0.05)
    assert time.monotonic() - started >= PROMOTION_SECONDS

    after = describe(west, REPLICA)
    assert after["DBInstanceStatus"] == "available"
    assert "ReadReplicaSourceDBInstanceIdentifier" not in after
    assert describe(east, PRIMARY)["ReadReplicaDBInstanceIdentifiers"] == []


def test_source_side_sees_the_promotion_finish_without_asking_the_replica_region(
    topology: tuple[Any, Any, str, str],
) -> None:
    east, west, _, _ = topology

    west.promote_read_replica(DBInstanceIdentifier=REPLICA)
    time.sleep(PROMOTION_SECONDS + 0.1)

    assert describe(east, PRIMARY)["ReadReplicaDBInstanceIdentifiers"] == []


def assert_invalid_state(error: pytest.ExceptionInfo[ClientError]) -> None:
    assert error.value.response["Error"]["Code"] == "InvalidDBInstanceState"
    assert error.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400


def test_promoting_a_non_replica_fails(topology: tuple[Any, Any, str, str]) -> None:
    east, _, _, _ = topology

    with pytest.raises(ClientError) as error:
        east.promote_read_replica(DBInstanceIdentifier=PRIMARY)

    assert_invalid_state(error)
    assert error.value.response["Error"]["Message"] == "DB Instance is not a read replica."
    assert describe(east, PRIMARY)["DBInstanceStatus"] == "available"


def test_promoting_twice_fails_while_modifying_and_after(topology: tuple[Any, Any, str, str]) -> None:
    _, west, _, _ = topology
    west.promote_read_replica(DBInstanceIdentifier=REPLICA)

    with pytest.raises(ClientError) as while_modifying:
        west.promote_read_replica(DBInstanceIdentifier=REPLICA)
    assert_invalid_state(while_modifying)

    time.sleep(PROMOTION_SECONDS + 0.1)
    with pytest.raises(ClientError) as after:
        west.promote_read_replica(DBInstanceIdentifier=REPLICA)
    assert_invalid_state(after)
    assert after.value.response["Error"]["Message"] == "DB Instance is not a read replica."


def test_promoting_an_unknown_instance_is_not_found(fresh: Emulator) -> None:
    with pytest.raises(ClientError) as error:
        fresh.client("rds", "us-west-2").promote_read_replica(DBInstanceIdentifier="nope")

    assert error.value.response["Error"]["Code"] == "DBInstanceNotFound"
    assert error.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404


def test_same_region_promotion_unlinks_the_source(topology: tuple[Any, Any, str, str]) -> None:
    east, _, _, replica_arn = topology
    east.create_db_instance_read_replica(DBInstanceIdentifier="orders-db-local", SourceDBInstanceIdentifier=PRIMARY)
    assert describe(east, PRIMARY)["ReadReplicaDBInstanceIdentifiers"] == [replica_arn, "orders-db-local"]

    east.promote_read_replica(DBInstanceIdentifier="orders-db-local")
    time.sleep(PROMOTION_SECONDS + 0.1)

    assert "ReadReplicaSourceDBInstanceIdentifier" not in describe(east, "orders-db-local")
    assert describe(east, PRIMARY)["ReadReplicaDBInstanceIdentifiers"] == [replica_arn]


def test_deleting_a_cross_region_replica_unlinks_the_source(topology: tuple[Any, Any, str, str]) -> None:
    east, west, _, _ = topology

    west.delete_db_instance(DBInstanceIdentifier=REPLICA, SkipFinalSnapshot=True)

    assert describe(east, PRIMARY)["ReadReplicaDBInstanceIdentifiers"] == []


def test_failback_replica_of_a_promoting_instance_keeps_its_own_link(
    topology: tuple[Any, Any, str, str],
) -> None:
    east, west, _, replica_arn = topology
    west.promote_read_replica(DBInstanceIdentifier=REPLICA)

    failback = east.create_db_instance_read_replica(
        DBInstanceIdentifier="orders-db-failback", SourceDBInstanceIdentifier=replica_arn
    )["DBInstance"]
    assert failback["DBInstanceStatus"] == "available"
    time.sleep(PROMOTION_SECONDS + 0.1)

    assert describe(east, "orders-db-failback")["ReadReplicaSourceDBInstanceIdentifier"] == replica_arn
    assert describe(west, REPLICA)["ReadReplicaDBInstanceIdentifiers"] == [
        "arn:aws:rds:us-east-1:123456789012:db:orders-db-failback"
    ]
