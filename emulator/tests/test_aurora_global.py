"""EMULATOR CODE (not product code): Aurora Global Database failover and switchover over HTTP."""

from __future__ import annotations

import time
from typing import Any

import pytest
from botocore.exceptions import ClientError
from conftest import GLOBAL_FAILOVER_SECONDS, Emulator

GLOBAL = "orders-global"
EAST = "orders-east"
WEST = "orders-west"
EAST_ARN = "arn:aws:rds:us-east-1:123456789012:cluster:orders-east"
WEST_ARN = "arn:aws:rds:us-west-2:123456789012:cluster:orders-west"


@pytest.fixture()
def global_db(fresh: Emulator) -> tuple[Any, Any]:
    """orders-global: primary orders-east in us-east-1, secondary orders-west in us-west-2."""
    east = fresh.client("rds", "us-east-1")
    west = fresh.client("rds", "us-west-2")
    east.create_global_cluster(GlobalClusterIdentifier=GLOBAL, Engine="aurora-postgresql", EngineVersion="15.4")
    east.create_db_cluster(
        DBClusterIdentifier=EAST,
        Engine="aurora-postgresql",
        EngineVersion="15.4",
        MasterUsername="admin",
        MasterUserPassword="password123",
        GlobalClusterIdentifier=GLOBAL,
    )
    west.create_db_cluster(
        DBClusterIdentifier=WEST, Engine="aurora-postgresql", EngineVersion="15.4", GlobalClusterIdentifier=GLOBAL
    )
    return east, west


def describe_global(rds: Any) -> dict[str, Any]:
    return rds.describe_global_clusters(GlobalClusterIdentifier=GLOBAL)["GlobalClusters"][0]


def writers(global_cluster: dict[str, Any]) -> dict[str, bool]:
    return {m["DBClusterArn"]: m["IsWriter"] for m in global_cluster["GlobalClusterMembers"]}


def cluster(rds: Any, identifier: str) -> dict[str, Any]:
    return rds.describe_db_clusters(DBClusterIdentifier=identifier)["DBClusters"][0]


def wait_until_done(rds: Any, started: float) -> None:
    while "FailoverState" in describe_global(rds):
        assert time.monotonic() - started < GLOBAL_FAILOVER_SECONDS + 5, "operation never finished"
        time.sleep(0.05)
    assert time.monotonic() - started >= GLOBAL_FAILOVER_SECONDS


def assert_error(error: pytest.ExceptionInfo[ClientError], code: str, status: int) -> None:
    assert error.value.response["Error"]["Code"] == code
    assert error.value.response["ResponseMetadata"]["HTTPStatusCode"] == status


def test_two_region_global_cluster_is_created_over_http(global_db: tuple[Any, Any]) -> None:
    east, west = global_db

    described = describe_global(west)  # global clusters answer from any Region

    assert described["Status"] == "available"
    assert writers(described) == {EAST_ARN: True, WEST_ARN: False}
    members = {m["DBClusterArn"]: m for m in described["GlobalClusterMembers"]}
    assert members[EAST_ARN]["Readers"] == [WEST_ARN]
    assert members[WEST_ARN]["GlobalWriteForwardingStatus"] == "disabled"
    assert {m["SynchronizationStatus"] for m in members.values()} == {"connected"}
    assert "FailoverState" not in described
    secondary = cluster(west, WEST)
    assert secondary["Endpoint"].startswith("orders-west.cluster-")
    assert secondary["Endpoint"].endswith(".us-west-2.rds.amazonaws.com")
    assert secondary["GlobalClusterIdentifier"] == GLOBAL
    assert cluster(east, EAST)["Status"] == "available"


def test_describe_global_clusters_honours_the_identifier(global_db: tuple[Any, Any]) -> None:
    east, _ = global_db
    east.create_global_cluster(GlobalClusterIdentifier="other-global", Engine="aurora-postgresql")

    assert [g["GlobalClusterIdentifier"] for g in east.describe_global_clusters()["GlobalClusters"]] == [
        GLOBAL,
        "other-global",
    ]
    assert describe_global(east)["GlobalClusterIdentifier"] == GLOBAL
    in_west = east.describe_global_clusters(Filters=[{"Name": "region", "Values": ["us-west-2"]}])
    assert [g["GlobalClusterIdentifier"] for g in in_west["GlobalClusters"]] == [GLOBAL]
    with pytest.raises(ClientError) as error:
        east.describe_global_clusters(GlobalClusterIdentifier="nope")
    assert_error(error, "GlobalClusterNotFoundFault", 404)


def test_failover_with_data_loss_is_failing_over_then_swaps_roles(global_db: tuple[Any, Any]) -> None:
    east, west = global_db

    started = time.monotonic()
    answer = west.failover_global_cluster(
        GlobalClusterIdentifier=GLOBAL, TargetDbClusterIdentifier=WEST_ARN, AllowDataLoss=True
    )["GlobalCluster"]

    # As in the AWS CLI reference example: failing-over, FailoverState pending, roles not yet swapped.
    assert answer["Status"] == "failing-over"
    assert answer["FailoverState"] == {
        "Status": "pending",
        "FromDbClusterArn": EAST_ARN,
        "ToDbClusterArn": WEST_ARN,
        "IsDataLossAllowed": True,
    }
    during = describe_global(east)
    assert during["Status"] == "failing-over"
    assert during["FailoverState"] == dict(answer["FailoverState"], Status="failing-over")
    assert writers(during) == {EAST_ARN: True, WEST_ARN: False}
    assert cluster(east, EAST)["Status"] == "modifying"
    assert cluster(west, WEST)["Status"] == "modifying"
    with pytest.raises(ClientError) as again:
        east.failover_global_cluster(GlobalClusterIdentifier=GLOBAL, TargetDbClusterIdentifier=WEST_ARN, AllowDataLoss=True)
    assert_error(again, "InvalidGlobalClusterStateFault", 400)
    assert time.monotonic() - started < GLOBAL_FAILOVER_SECONDS, "too slow to observe the failover window"

    wait_until_done(west, started)

    after = describe_global(west)
    assert after["Status"] == "available"
    assert writers(after) == {EAST_ARN: False, WEST_ARN: True}
    members = {m["DBClusterArn"]: m for m in after["GlobalClusterMembers"]}
    assert members[WEST_ARN]["Readers"] == [EAST_ARN]  # the old primary is now a secondary
    assert members[EAST_ARN]["GlobalWriteForwardingStatus"] == "disabled"
    assert cluster(west, WEST)["Status"] == "available"
    assert cluster(east, EAST)["Status"] == "available"


def test_failover_to_a_wrong_target_fails(global_db: tuple[Any, Any]) -> None:
    east, west = global_db
    west.create_db_cluster(
        DBClusterIdentifier="standalone",
        Engine="aurora-postgresql",
        MasterUsername="admin",
        MasterUserPassword="password123",
    )

    with pytest.raises(ClientError) as primary:
        east.failover_global_cluster(GlobalClusterIdentifier=GLOBAL, TargetDbClusterIdentifier=EAST_ARN, AllowDataLoss=True)
    assert_error(primary, "InvalidDBClusterStateFault", 400)
    with pytest.raises(ClientError) as not_member:
        west.switchover_global_cluster(GlobalClusterIdentifier=GLOBAL, TargetDbClusterIdentifier="standalone")
    assert_error(not_member, "InvalidDBClusterStateFault", 400)
    with pytest.raises(ClientError) as unknown_cluster:
        east.switchover_global_cluster(
            GlobalClusterIdentifier=GLOBAL, TargetDbClusterIdentifier="arn:aws:rds:us-west-2:123456789012:cluster:nope"
        )
    assert_error(unknown_cluster, "DBClusterNotFoundFault", 404)
    with pytest.raises(ClientError) as unknown_global:
        east.failover_global_cluster(GlobalClusterIdentifier="nope", TargetDbClusterIdentifier=WEST_ARN, AllowDataLoss=True)
    assert_error(unknown_global, "GlobalClusterNotFoundFault", 404)
    with pytest.raises(ClientError) as both:
        east.failover_global_cluster(
            GlobalClusterIdentifier=GLOBAL, TargetDbClusterIdentifier=WEST_ARN, AllowDataLoss=True, Switchover=True
        )
    assert_error(both, "InvalidParameterCombination", 400)

    unchanged = describe_global(east)
    assert "FailoverState" not in unchanged
    assert writers(unchanged) == {EAST_ARN: True, WEST_ARN: False}


def test_switchover_is_planned_swaps_roles_and_switches_back(global_db: tuple[Any, Any]) -> None:
    east, west = global_db

    started = time.monotonic()
    answer = east.switchover_global_cluster(GlobalClusterIdentifier=GLOBAL, TargetDbClusterIdentifier=WEST_ARN)[
        "GlobalCluster"
    ]

    assert answer["Status"] == "switching-over"
    assert answer["FailoverState"]["Status"] == "pending"
    assert answer["FailoverState"]["IsDataLossAllowed"] is False
    during = describe_global(west)
    assert during["FailoverState"] == {
        "Status": "switching-over",
        "FromDbClusterArn": EAST_ARN,
        "ToDbClusterArn": WEST_ARN,
        "IsDataLossAllowed": False,
    }
    assert cluster(west, WEST)["Status"] == "modifying"
    assert time.monotonic() - started < GLOBAL_FAILOVER_SECONDS, "too slow to observe the switchover window"
    wait_until_done(east, started)
    assert writers(describe_global(east)) == {EAST_ARN: False, WEST_ARN: True}

    # Switch back: the old primary is a secondary now, so it is a valid target.
    started = time.monotonic()
    back = west.switchover_global_cluster(GlobalClusterIdentifier=GLOBAL, TargetDbClusterIdentifier=EAST_ARN)
    assert back["GlobalCluster"]["FailoverState"]["FromDbClusterArn"] == WEST_ARN
    wait_until_done(west, started)
    assert writers(describe_global(west)) == {EAST_ARN: True, WEST_ARN: False}
    assert cluster(east, EAST)["Status"] == "available"


def test_failover_global_cluster_without_allow_data_loss_is_a_switchover(global_db: tuple[Any, Any]) -> None:
    _, west = global_db

    answer = west.failover_global_cluster(GlobalClusterIdentifier=GLOBAL, TargetDbClusterIdentifier=WEST, Switchover=True)

    assert answer["GlobalCluster"]["Status"] == "switching-over"
    assert answer["GlobalCluster"]["FailoverState"]["ToDbClusterArn"] == WEST_ARN  # plain id: Region of the request
    assert answer["GlobalCluster"]["FailoverState"]["IsDataLossAllowed"] is False
    assert describe_global(west)["FailoverState"]["Status"] == "switching-over"


def test_remove_from_global_cluster_detaches_a_us_west_2_secondary(global_db: tuple[Any, Any]) -> None:
    east, west = global_db

    answer = west.remove_from_global_cluster(GlobalClusterIdentifier=GLOBAL, DbClusterIdentifier=WEST_ARN)

    assert writers(answer["GlobalCluster"]) == {EAST_ARN: True}
    assert writers(describe_global(east)) == {EAST_ARN: True}
    assert "GlobalClusterIdentifier" not in cluster(west, WEST)
    with pytest.raises(ClientError) as no_longer_member:
        west.failover_global_cluster(GlobalClusterIdentifier=GLOBAL, TargetDbClusterIdentifier=WEST_ARN, AllowDataLoss=True)
    assert_error(no_longer_member, "InvalidDBClusterStateFault", 400)


def test_deleting_a_us_west_2_secondary_leaves_the_global_cluster(global_db: tuple[Any, Any]) -> None:
    east, west = global_db

    west.delete_db_cluster(DBClusterIdentifier=WEST, SkipFinalSnapshot=True)

    assert writers(describe_global(east)) == {EAST_ARN: True}
