"""EMULATOR CODE (not product code): RDS fidelity patches for moto 5.2.5.

moto serves a Query action by calling the snake_case method of its response
class (RDSResponse.call_action -> RDSResponse.promote_read_replica), which
calls the region's RDSBackend. Patching those classes therefore changes what
moto's HTTP server answers as well as what its in-process decorators do.

Each patch names the AWS behaviour it reproduces:

1. PromoteReadReplica (RDS DB instances, not clusters).
   - API reference, PromoteReadReplica, DBInstanceIdentifier: "Must match the
     identifier of an existing read replica DB instance"; error
     InvalidDBInstanceState, HTTP 400, "The DB instance isn't in a valid state"
     (older editions: "The specified DB instance is not in the available
     state"). So promoting a non-replica, or a replica whose promotion is still
     running (status `modifying`), fails with InvalidDBInstanceState.
   - User Guide, "Promoting a read replica to be a standalone DB instance":
     RDS reboots the instance before making it available; promotion takes
     minutes. The AWS CLI reference example for `promote-read-replica` answers
     with "DBInstanceStatus": "modifying" while "ReadReplicaSourceDBInstance
     Identifier" is still set. Modelled lazily by time: the replica reports
     `modifying` for EMULATOR_PROMOTION_SECONDS (default 2.0) after the call;
     when that has elapsed, the next RDS request finishes the promotion: status
     `available`, no ReadReplicaSourceDBInstanceIdentifier, and the source
     (in any region) no longer lists it in ReadReplicaDBInstanceIdentifiers.
2. Cross-region replica bookkeeping. For a replica in another region the
   source lists the replica's ARN (moto does this), but moto removes the plain
   identifier, so DeleteDBInstance of a cross-region replica answered HTTP 500
   and left the source pointing at a deleted replica. Removal accepts both.
3. Cross-region replica placement. User Guide, "Creating a read replica in a
   different AWS Region": the replica lives in the destination Region and,
   unless told otherwise, uses that Region's default VPC security group. moto
   copies the source's us-east-1 Availability Zone and security group.
"""

from __future__ import annotations

import os
import time
from typing import Any, Callable

from moto.ec2.models import ec2_backends
from moto.rds.exceptions import DBInstanceNotFoundError, RDSClientError
from moto.rds.models import DBInstance, RDSBackend, rds_backends
from moto.rds.responses import RDSResponse

PROMOTION_SECONDS_ENV = "EMULATOR_PROMOTION_SECONDS"


class InvalidDBInstanceState(RDSClientError):
    """Wire code InvalidDBInstanceState; moto takes HTTP 400 from the AWS model."""

    def __init__(self, message: str) -> None:
        super().__init__("InvalidDBInstanceState", message)


def _promotion_seconds() -> float:
    return float(os.environ.get(PROMOTION_SECONDS_ENV, "2.0"))


def promote_read_replica(self: RDSBackend, db_kwargs: dict[str, Any]) -> DBInstance:
    database = self.describe_db_instances(db_kwargs["db_instance_identifier"])[0]
    if not database.is_replica:
        raise InvalidDBInstanceState("DB Instance is not a read replica.")
    if database.status != "available":
        raise InvalidDBInstanceState(
            f"DB instance {database.db_instance_identifier} is not in available state."
        )
    database.update(**db_kwargs)  # BackupRetentionPeriod, PreferredBackupWindow
    database.status = "modifying"
    database.promotion_ends_at = time.monotonic() + _promotion_seconds()
    return database


def _finish_promotion(database: DBInstance) -> None:
    try:
        source = database.backend.find_db_from_id(database.source_db_instance_identifier)
        source.remove_replica(database)
    except DBInstanceNotFoundError:
        pass  # the source was deleted meanwhile; nothing lists this replica any more
    database.source_db_instance_identifier = None
    database.is_replica = False
    database.status = "available"
    database.promotion_ends_at = None


def _finish_due_promotions() -> None:
    now = time.monotonic()
    # list(): other server threads may add accounts or regions meanwhile
    for account in list(rds_backends.values()):
        for backend in list(account.values()):
            for database in list(backend.databases.values()):
                ends_at = getattr(database, "promotion_ends_at", None)
                if ends_at is not None and now >= ends_at:
                    _finish_promotion(database)


def remove_replica(self: DBInstance, replica: DBInstance) -> None:
    for reference in (replica.db_instance_identifier, replica.db_instance_arn):
        if reference in self.replicas:
            self.replicas.remove(reference)


def _with_replica_fixes(
    create: Callable[[RDSBackend, dict[str, Any]], DBInstance],
) -> Callable[[RDSBackend, dict[str, Any]], DBInstance]:
    def create_db_instance_read_replica(
        self: RDSBackend, db_kwargs: dict[str, Any]
    ) -> DBInstance:
        replica = create(self, db_kwargs)
        # moto builds the replica with copy.copy(source): drop a promotion the source is undergoing.
        replica.status = "available"
        replica.promotion_ends_at = None
        source_region = self.find_db_from_id(db_kwargs["source_db_instance_identifier"]).region
        if source_region != self.region_name:
            if not db_kwargs.get("availability_zone"):
                replica.availability_zone = f"{self.region_name}a"
            if not db_kwargs.get("vpc_security_group_ids"):
                ec2 = ec2_backends[self.account_id][self.region_name]
                default_sg = ec2.get_default_security_group(ec2.default_vpc.id)
                replica.vpc_security_group_ids = [default_sg.id]
        return replica

    return create_db_instance_read_replica


def _finishing_promotions_first(
    call_action: Callable[[RDSResponse], Any],
) -> Callable[[RDSResponse], Any]:
    def rds_call_action(self: RDSResponse) -> Any:
        _finish_due_promotions()
        return call_action(self)

    return rds_call_action


def apply() -> None:
    """Install the patches; call once, before moto serves requests."""
    RDSBackend.promote_read_replica = promote_read_replica
    RDSBackend.create_db_instance_read_replica = _with_replica_fixes(
        RDSBackend.create_db_instance_read_replica
    )
    DBInstance.remove_replica = remove_replica
    RDSResponse.call_action = _finishing_promotions_first(RDSResponse.call_action)
