"""EMULATOR CODE (not product code): the RDS events that end an Aurora global failover or switchover, on EventBridge.

moto 5.2.5 emits no RDS events at all (no EventBridge event, no DescribeEvents entry). This module puts the few
that end a global failover or switchover (aurora_global.py) on moto's own EventBridge, in process, the way
PutEvents from a client does: rules on the default bus match them and deliver them to their targets.

AWS behaviour reproduced, with its sources:

1. Delivery. RDS User Guide, "Monitoring Amazon RDS events" (Aurora User Guide, "Monitoring Amazon Aurora
   events"): "Amazon RDS delivers events to EventBridge in near-real time", to the default event bus of the
   source's account and Region; "Amazon RDS emits events on a best effort basis ... they might be out of sequence
   or missing". Modelled: each event once, in order, on the default bus of the cluster's account and Region,
   within aurora_global.TICK_SECONDS of its moment (or before the next RDS request is served, if sooner).
2. Shape. The EventBridge example of an "RDS DB Cluster Event" in the same guide (a copy is the project's
   shared/aws-events/eb-rds-db-cluster-event-patched.json; events/rds-global-failover-completed.json is this
   very event): source `aws.rds`, detail-type `RDS DB Cluster Event`, resources [the cluster ARN], detail
   {EventCategories, SourceType `CLUSTER`, SourceArn, Date (ISO-8601, milliseconds, `Z`), Message,
   SourceIdentifier `rds:<cluster id>`, EventID}, in that order. The top-level fields (account included) are
   events_fidelity.py's business. The category is written `global-failover` as in the example file (the
   guide's table writes it "global failover").
3. Which events. Aurora User Guide, "Amazon RDS event categories and event messages for Aurora", DB cluster
   events, category global failover (read in a mirrored copy of the current page; the 2023 copy in
   awsdocs/amazon-aurora-user-guide has descriptions but not these messages):
   - RDS-EVENT-0238 "Global failover to DB cluster name in Region name completed." at the end of a failover
     (FailoverGlobalCluster with AllowDataLoss);
   - RDS-EVENT-0185 "Global switchover to DB cluster name in Region name finished." at the end of a switchover
     ("finished" is the guide's word for 0185, and events/rds-switchover-finished.json's);
   - RDS-EVENT-0397 "Aurora finished changing the DNS name that the global writer endpoint resolves to." when
     global_endpoint_dns.py starts answering with the new writer (EMULATOR_GLOBAL_ENDPOINT_DNS_SECONDS after
     the end; Aurora User Guide, "Using switchover or failover in Amazon Aurora Global Database", tells
     applications to wait for this event before resuming writes).
   Source: the promoted cluster, in its own Region and account, named in the message as `name` (the example
   file shows exactly that for 0238). The guide does not say which cluster is the source of 0397, nor of 0185
   beyond its message; the emulator uses the promoted cluster for all three. Unsure, not documented.

Not modelled: the other global-failover events (0181-0184, 0186, 0187, 0239-0241, 0423), DescribeEvents, RDS event
subscriptions (SNS), loss, duplication or reordering of events. In a sharded emulator (RDS and EventBridge in
different moto processes) the events stay on the RDS process's EventBridge, where no rule of the other shard sees
them. EMULATOR_RDS_EVENTS=0 turns the emission off.
"""

from __future__ import annotations

import datetime
import json
import os
import time
import traceback
from typing import Any

from moto.events.models import events_backends
from moto.rds.models import DBCluster, GlobalCluster

import aurora_global

ENABLED_ENV = "EMULATOR_RDS_EVENTS"
FAILOVER_COMPLETED = "RDS-EVENT-0238"
SWITCHOVER_FINISHED = "RDS-EVENT-0185"
DNS_CHANGED = "RDS-EVENT-0397"
_PENDING = "_emulator_rds_events"  # on the GlobalCluster, so that /moto-api/reset drops what is still due


def _enabled() -> bool:
    return os.environ.get(ENABLED_ENV, "1").strip().lower() not in {"0", "false", "no", "off"}


def _schedule(global_cluster: GlobalCluster, due: float, cluster: DBCluster, event_id: str, message: str) -> None:
    global_cluster.__dict__.setdefault(_PENDING, []).append((due, cluster, event_id, message))


def _put(cluster: DBCluster, event_id: str, message: str) -> None:
    """One event on the default bus of the cluster's account and Region, as a PutEvents entry would put it."""
    now = time.time()
    arn = cluster.db_cluster_arn
    detail = {  # the example's field order
        "EventCategories": ["global-failover"],
        "SourceType": "CLUSTER",
        "SourceArn": arn,
        "Date": datetime.datetime.fromtimestamp(now, datetime.timezone.utc).isoformat(timespec="milliseconds")
        .replace("+00:00", "Z"),
        "Message": message,
        "SourceIdentifier": f"rds:{cluster.db_cluster_identifier}",
        "EventID": event_id,
    }
    # Time in epoch seconds, as botocore sends it: moto writes a target's `time` from it (seconds, `Z`), so
    # `time` and `Date` name the same instant.
    entry = {"Source": "aws.rds", "DetailType": "RDS DB Cluster Event", "Resources": [arn],
             "Detail": json.dumps(detail), "Time": now}
    try:
        events_backends[cluster.account_id][cluster.region].put_events([entry])
    except Exception:  # noqa: BLE001 - e.g. a target moto cannot deliver to; like AWS, drop it, do not retry
        traceback.print_exc()


def deliver_due() -> None:
    """Puts every event whose moment has come, oldest first; each once."""
    now = time.monotonic()
    # Under aurora_global's lock: the ticker and request threads both call this, and the order must hold.
    with aurora_global._lock:
        due: list[tuple[float, DBCluster, str, str]] = []
        for account_id in list(aurora_global.rds_backends.keys()):
            for global_cluster in aurora_global._global_clusters(account_id):
                pending = global_cluster.__dict__.get(_PENDING) or []
                due.extend(event for event in pending if event[0] <= now)
                pending[:] = [event for event in pending if event[0] > now]
        for _, cluster, event_id, message in sorted(due, key=lambda event: event[0]):
            _put(cluster, event_id, message)


def apply() -> None:
    """Hooks the events into aurora_global's end of an operation; after global_endpoint_dns.apply()."""
    if not _enabled():
        return
    finish = aurora_global._finish
    finish_due = aurora_global._finish_due_operations

    def finishing(global_cluster: Any) -> None:
        operation = global_cluster.__dict__["_emulator_failover"]
        finish(global_cluster)  # global_endpoint_dns's wrapper sets _emulator_dns_follows_at in it
        promoted: DBCluster = operation["to"]
        now = time.monotonic()
        if operation["data_loss"]:
            event_id, verb, word = FAILOVER_COMPLETED, "failover", "completed"
        else:
            event_id, verb, word = SWITCHOVER_FINISHED, "switchover", "finished"
        message = f"Global {verb} to DB cluster {promoted.db_cluster_identifier} in Region {promoted.region} {word}."
        _schedule(global_cluster, now, promoted, event_id, message)
        dns_moment = global_cluster.__dict__.get("_emulator_dns_follows_at", now)
        _schedule(global_cluster, max(now, dns_moment), promoted, DNS_CHANGED,
                  "Aurora finished changing the DNS name that the global writer endpoint resolves to.")

    def finishing_due_operations() -> None:
        finish_due()
        deliver_due()  # the ticker's 0397, and an end's event before the request that finished it is answered

    aurora_global._finish = finishing
    aurora_global._finish_due_operations = finishing_due_operations
