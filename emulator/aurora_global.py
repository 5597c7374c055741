"""EMULATOR CODE (not product code): Aurora Global Database fidelity patches for moto 5.2.5.

moto keeps global clusters in the us-east-1 RDSBackend (RDSResponse.global_backend)
and lets CreateDBCluster join one with GlobalClusterIdentifier, but answers
FailoverGlobalCluster and SwitchoverGlobalCluster with HTTP 500 ("not
implemented"), ignores DescribeGlobalClusters' GlobalClusterIdentifier, and its
RemoveFromGlobalCluster silently does nothing outside us-east-1. The patches
below add the two actions as methods of RDSResponse (moto dispatches a Query
action to the snake_case method of that class) and fix the other two.

AWS behaviour reproduced, with its sources:

1. FailoverGlobalCluster (API reference, FailoverGlobalCluster):
   GlobalClusterIdentifier and TargetDbClusterIdentifier are required; the
   target is "the secondary Aurora DB cluster that you want to promote", given
   by ARN "so that Aurora can locate the cluster in its Amazon Web Services
   Region" (a plain identifier is looked up in the Region of the request).
   "Failing over - Specify the AllowDataLoss parameter and don't specify the
   Switchover parameter. Switching over - Specify the Switchover parameter or
   omit it, but don't specify the AllowDataLoss parameter"; AllowDataLoss:
   "Can't be specified together with the Switchover parameter" (answered with
   InvalidParameterCombination, HTTP 400); "If you don't specify
   AllowDataLoss, the global database cluster operation defaults to a
   switchover". Errors: GlobalClusterNotFoundFault (404), DBClusterNotFoundFault
   (404), InvalidDBClusterStateFault (400), InvalidGlobalClusterStateFault (400).
2. SwitchoverGlobalCluster (API reference, SwitchoverGlobalCluster): same two
   parameters and errors; "Aurora promotes the specified secondary cluster to
   assume full read/write capabilities and demotes the current primary cluster
   to a secondary (read-only) cluster"; no data loss.
3. FailoverState (API reference, FailoverState; GlobalCluster.FailoverState):
   "empty unless a switchover or failover operation is scheduled or is in
   progress"; Status pending / failing-over / switching-over / cancelling;
   FromDbClusterArn (being demoted), ToDbClusterArn (being promoted),
   IsDataLossAllowed (true = global failover, false = switchover).
   The AWS CLI reference examples for failover-global-cluster and
   switchover-global-cluster show the call's answer: GlobalCluster Status
   `failing-over` / `switching-over`, FailoverState Status `pending`, members
   unchanged (the old primary still IsWriter) and SynchronizationStatus
   `connected`. Modelled lazily by time like rds_fidelity's promotion: the
   call answers `pending`; afterwards DescribeGlobalClusters shows
   FailoverState Status `failing-over` / `switching-over` and the global
   cluster Status the same, for EMULATOR_GLOBAL_FAILOVER_SECONDS (default 2.0).
   Both member clusters report DBCluster Status `modifying` meanwhile (Aurora
   User Guide, "DB cluster status": "being modified because of a customer
   request"; that table's `failing-over` is the in-Region failover to an Aurora
   Replica, not this). When the time has elapsed the operation ends by itself,
   as on AWS: a background ticker (start_ticker, every TICK_SECONDS) or the
   next RDS request, whichever comes first, swaps the roles: the target
   IsWriter=true, the old primary IsWriter=false (a secondary,
   GlobalWriteForwardingStatus in GlobalClusterMembers, listed in the new
   writer's Readers), both `available`, FailoverState gone. For a
   switchover that is what AWS does at once. For an unplanned failover AWS
   rebuilds the old primary as a secondary only when its Region is available
   again (User Guide, "Using switchover or failover in Amazon Aurora Global
   Database"); the emulator assumes the Region is available and makes it a
   secondary at the same moment.
   A second call while one is in progress is InvalidGlobalClusterStateFault;
   a target that is not a member of the global cluster, or already its
   primary, or not `available`, is InvalidDBClusterStateFault.
4. DescribeGlobalClusters (API reference): GlobalClusterIdentifier "If this
   parameter is specified, information from only the specific DB cluster is
   returned"; unknown is GlobalClusterNotFoundFault (404). The documented
   `region` filter returns global clusters with a member in those Regions.
5. RemoveFromGlobalCluster (API reference): "Detaches an Aurora secondary
   cluster from an Aurora global database cluster. The cluster becomes a
   standalone cluster with read-write capability"; DbClusterIdentifier is the
   cluster's ARN. Works for members in any Region; the detached cluster no
   longer names the global cluster. Deleting a member cluster in any Region
   also removes it from the global cluster (moto only did so in us-east-1).
6. CreateGlobalCluster with SourceDBClusterIdentifier: the source cluster
   becomes the global database's primary (IsWriter=true); moto left it false.
"""

from __future__ import annotations

import copy
import os
import threading
import time
import traceback
from typing import Any, Callable

from moto.core.responses import ActionResult
from moto.rds.exceptions import (
    DBClusterNotFoundError,
    InvalidDBClusterStateFault,
    InvalidParameterCombination,
    RDSClientError,
)
from moto.rds.models import DBCluster, GlobalCluster, RDSBackend, rds_backends
from moto.rds.responses import RDSResponse

FAILOVER_SECONDS_ENV = "EMULATOR_GLOBAL_FAILOVER_SECONDS"
TICK_SECONDS = 0.05  # how late, at most, an operation ends when no RDS request comes

_lock = threading.RLock()  # ThreadedMotoServer serves requests on several threads


class GlobalClusterNotFoundFault(RDSClientError):
    """Wire code GlobalClusterNotFoundFault; HTTP 404 from the AWS model."""

    def __init__(self, identifier: str) -> None:
        super().__init__("GlobalClusterNotFoundFault", f"Global cluster {identifier} not found.")


class InvalidGlobalClusterStateFault(RDSClientError):
    """Wire code InvalidGlobalClusterStateFault; HTTP 400 from the AWS model."""

    def __init__(self, message: str) -> None:
        super().__init__("InvalidGlobalClusterStateFault", message)


def _failover_seconds() -> float:
    return float(os.environ.get(FAILOVER_SECONDS_ENV, "2.0"))


# --- lookups -----------------------------------------------------------------


def _global_clusters(account_id: str) -> list[GlobalCluster]:
    # moto stores them in us-east-1 (RDSResponse.global_backend); look everywhere to be safe.
    found: list[GlobalCluster] = []
    for backend in list(rds_backends[account_id].values()):
        found.extend(list(backend.global_clusters.values()))
    return found


def _find_global_cluster(account_id: str, identifier: str) -> GlobalCluster:
    wanted = identifier.lower()
    for global_cluster in _global_clusters(account_id):
        if wanted in (global_cluster.global_cluster_identifier, global_cluster.global_cluster_arn.lower()):
            return global_cluster
    raise GlobalClusterNotFoundFault(identifier)


def _find_db_cluster(account_id: str, request_region: str, identifier: str) -> DBCluster:
    """An ARN names its Region; a plain identifier is looked up in the Region of the request."""
    region = request_region
    if identifier.startswith("arn:"):
        parts = identifier.split(":")
        if len(parts) < 7:
            raise DBClusterNotFoundError(identifier)
        region, account_id = parts[3], parts[4] or account_id
    try:
        backend = rds_backends[account_id][region]
    except KeyError:
        raise DBClusterNotFoundError(identifier) from None
    return backend.describe_db_clusters(db_cluster_identifier=identifier)[0]


def _writer(global_cluster: GlobalCluster) -> DBCluster | None:
    return next((member for member in global_cluster.members if member.is_writer), None)


# --- FailoverState model ---------------------------------------------------------


def _failover_state(self: GlobalCluster) -> dict[str, Any] | None:
    """GlobalCluster.FailoverState as the serializer picks it (attribute failover_state)."""
    answered = self.__dict__.get("_answer_failover_state")
    if answered is not None:
        return answered
    operation = self.__dict__.get("_emulator_failover")
    if operation is None:
        return None
    return {
        "Status": operation["status"],
        "FromDbClusterArn": operation["from"].db_cluster_arn,
        "ToDbClusterArn": operation["to"].db_cluster_arn,
        "IsDataLossAllowed": operation["data_loss"],
    }


def _with_synchronization_status(
    members: Callable[[GlobalCluster], list[dict[str, Any]]],
) -> Callable[[GlobalCluster], list[dict[str, Any]]]:
    def global_cluster_members(self: GlobalCluster) -> list[dict[str, Any]]:
        # AWS CLI reference examples (describe/failover/switchover-global-cluster) list it per member.
        return [dict(member, SynchronizationStatus="connected") for member in members(self)]

    return global_cluster_members


def _ensure_not_in_transition(global_cluster: GlobalCluster) -> None:
    """AWS refuses to change a global cluster while a failover or switchover runs (InvalidGlobalClusterStateFault)."""
    if global_cluster.__dict__.get("_emulator_failover") is not None:
        raise InvalidGlobalClusterStateFault(
            f"Global cluster {global_cluster.global_cluster_identifier} is already "
            "switching over or failing over."
        )


def _start(
    global_cluster: GlobalCluster, target: DBCluster, data_loss: bool
) -> GlobalCluster:
    with _lock:
        _ensure_not_in_transition(global_cluster)
        if target not in global_cluster.members:
            raise InvalidDBClusterStateFault(
                f"DB cluster {target.db_cluster_arn} is not a member of global cluster "
                f"{global_cluster.global_cluster_identifier}."
            )
        if target.is_writer:
            raise InvalidDBClusterStateFault(
                f"DB cluster {target.db_cluster_arn} is already the primary cluster of global "
                f"cluster {global_cluster.global_cluster_identifier}."
            )
        if target.status != "available":
            raise InvalidDBClusterStateFault(
                f"DB cluster {target.db_cluster_arn} is in {target.status} state, not available."
            )
        primary = _writer(global_cluster)
        if primary is None:
            raise InvalidGlobalClusterStateFault(
                f"Global cluster {global_cluster.global_cluster_identifier} has no primary cluster."
            )
        if not data_loss and primary.status != "available":
            # a switchover synchronises with a healthy primary first (SwitchoverGlobalCluster)
            raise InvalidDBClusterStateFault(
                f"Primary DB cluster {primary.db_cluster_arn} is in {primary.status} state, not available."
            )
        status = "failing-over" if data_loss else "switching-over"
        global_cluster.__dict__["_emulator_failover"] = {
            "status": status,
            "from": primary,
            "to": target,
            "data_loss": data_loss,
            "ends_at": time.monotonic() + _failover_seconds(),
        }
        global_cluster.status = status
        primary.status = "modifying"
        target.status = "modifying"
        # The call's own answer, as in the AWS CLI reference examples: FailoverState pending.
        answer = copy.copy(global_cluster)
        answer.__dict__["_answer_failover_state"] = dict(
            _failover_state(global_cluster) or {}, Status="pending"
        )
        return answer


def _finish(global_cluster: GlobalCluster) -> None:
    operation = global_cluster.__dict__.pop("_emulator_failover")
    old_primary: DBCluster = operation["from"]
    new_primary: DBCluster = operation["to"]
    old_primary.is_writer = False
    new_primary.is_writer = True
    for cluster in (old_primary, new_primary):
        if cluster.status == "modifying":
            cluster.status = "available"
    global_cluster.status = "available"


def _finish_due_operations() -> None:
    now = time.monotonic()
    with _lock:
        for account in list(rds_backends.values()):
            for backend in list(account.values()):
                for global_cluster in list(backend.global_clusters.values()):
                    operation = global_cluster.__dict__.get("_emulator_failover")
                    if operation is not None and now >= operation["ends_at"]:
                        _finish(global_cluster)


def _tick_forever() -> None:
    last_error = None
    while True:
        time.sleep(TICK_SECONDS)
        try:
            # Looked up at each tick: other modules (rds_events) wrap it after the ticker has started.
            _finish_due_operations()
        except Exception as error:  # noqa: BLE001 - the ticker must outlive one bad tick
            if repr(error) != last_error:  # once per distinct error: a stuck one must not flood stderr
                last_error = repr(error)
                traceback.print_exc()


_ticker: threading.Thread | None = None


def start_ticker() -> None:
    """Idempotent: a daemon thread ends due operations at their time, without waiting for an RDS request.

    On AWS a failover or switchover completes whether anyone calls the API or not, and what follows it (the
    RDS events of rds_events.py, the global endpoint's DNS change) happens then too.
    """
    global _ticker
    with _lock:
        if _ticker is None:
            _ticker = threading.Thread(target=_tick_forever, name="aurora-global-ticker", daemon=True)
            _ticker.start()


def _finishing_operations_first(
    call_action: Callable[[RDSResponse], Any],
) -> Callable[[RDSResponse], Any]:
    def rds_call_action(self: RDSResponse) -> Any:
        _finish_due_operations()
        return call_action(self)

    return rds_call_action


# --- actions ---------------------------------------------------------------------


def _optional_bool(value: Any) -> bool | None:
    if value is None:
        return None
    if isinstance(value, str):
        return value.lower() == "true"
    return bool(value)


def failover_global_cluster(self: RDSResponse) -> ActionResult:
    params = self.params
    allow_data_loss = _optional_bool(params.get("AllowDataLoss"))
    switchover = _optional_bool(params.get("Switchover"))
    if allow_data_loss is not None and switchover is not None:
        raise InvalidParameterCombination(
            "AllowDataLoss and Switchover can't be specified together."
        )
    global_cluster = _find_global_cluster(self.current_account, params["GlobalClusterIdentifier"])
    target = _find_db_cluster(self.current_account, self.region, params["TargetDbClusterIdentifier"])
    answer = _start(global_cluster, target, data_loss=bool(allow_data_loss))
    return ActionResult({"GlobalCluster": answer})


def switchover_global_cluster(self: RDSResponse) -> ActionResult:
    params = self.params
    global_cluster = _find_global_cluster(self.current_account, params["GlobalClusterIdentifier"])
    target = _find_db_cluster(self.current_account, self.region, params["TargetDbClusterIdentifier"])
    answer = _start(global_cluster, target, data_loss=False)
    return ActionResult({"GlobalCluster": answer})


def describe_global_clusters(self: RDSResponse) -> ActionResult:
    identifier = self.params.get("GlobalClusterIdentifier")
    if identifier:
        clusters = [_find_global_cluster(self.current_account, identifier)]
    else:
        clusters = _global_clusters(self.current_account)
    for filter_ in self.params.get("Filters") or []:
        if filter_.get("Name") == "region":
            regions = set(filter_.get("Values") or [])
            clusters = [
                cluster
                for cluster in clusters
                if any(member.region in regions for member in cluster.members)
            ]
    return ActionResult({"GlobalClusters": clusters})


def remove_from_global_cluster(
    self: RDSBackend, global_cluster_identifier: str, db_cluster_identifier: str
) -> GlobalCluster:
    global_cluster = _find_global_cluster(self.account_id, global_cluster_identifier)
    cluster = _find_db_cluster(self.account_id, self.region_name, db_cluster_identifier)
    with _lock:
        _ensure_not_in_transition(global_cluster)
        if cluster not in global_cluster.members:
            raise DBClusterNotFoundError(
                db_cluster_identifier,
                f"DB cluster {cluster.db_cluster_arn} is not a member of global cluster "
                f"{global_cluster.global_cluster_identifier}.",
            )
        global_cluster.members.remove(cluster)
        cluster.global_cluster_identifier = None
        cluster.is_writer = False
    return global_cluster


def _detaching_deleted_members(
    delete: Callable[..., DBCluster],
) -> Callable[..., DBCluster]:
    def delete_db_cluster(self: RDSBackend, *args: Any, **kwargs: Any) -> DBCluster:
        deleted = delete(self, *args, **kwargs)
        with _lock:
            for global_cluster in _global_clusters(self.account_id):
                if deleted in global_cluster.members:
                    global_cluster.members.remove(deleted)
        return deleted

    return delete_db_cluster


def _source_becomes_primary(
    create: Callable[..., GlobalCluster],
) -> Callable[..., GlobalCluster]:
    def create_global_cluster(self: RDSBackend, *args: Any, **kwargs: Any) -> GlobalCluster:
        global_cluster = create(self, *args, **kwargs)
        if len(global_cluster.members) == 1:
            global_cluster.members[0].is_writer = True
        return global_cluster

    return create_global_cluster


def apply() -> None:
    """Install the patches; call once, before moto serves requests."""
    GlobalCluster.failover_state = property(_failover_state)  # type: ignore[attr-defined]
    GlobalCluster.global_cluster_members = property(  # type: ignore[method-assign,assignment]
        _with_synchronization_status(GlobalCluster.global_cluster_members.fget)  # type: ignore[attr-defined]
    )
    RDSBackend.remove_from_global_cluster = remove_from_global_cluster  # type: ignore[method-assign,assignment]
    RDSBackend.delete_db_cluster = _detaching_deleted_members(RDSBackend.delete_db_cluster)  # type: ignore[method-assign]
    RDSBackend.create_global_cluster = _source_becomes_primary(RDSBackend.create_global_cluster)  # type: ignore[method-assign]
    RDSResponse.failover_global_cluster = failover_global_cluster  # type: ignore[attr-defined]
    RDSResponse.switchover_global_cluster = switchover_global_cluster  # type: ignore[attr-defined]
    RDSResponse.describe_global_clusters = describe_global_clusters  # type: ignore[method-assign]
    RDSResponse.call_action = _finishing_operations_first(RDSResponse.call_action)  # type: ignore[method-assign]
