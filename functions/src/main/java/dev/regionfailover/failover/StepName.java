package dev.regionfailover.failover;

/** The steps of failovers and failbacks; FailoverWorkflow lists the order of each. */
public enum StepName {
    ACQUIRE_LEASE, CHECK_RPO, FENCE_OLD_PRIMARY, PROMOTE_REPLICA, AWAIT_WRITER, REPOINT_DNS, NOTIFY,
    ROUTE_READERS, PREPARE_FAILBACK_REPLICA, AWAIT_FAILBACK_REPLICA, SHIFT_READERS, AWAIT_CATCH_UP,
    REBUILD_STANDBY_REPLICA, AWAIT_STANDBY_REPLICA
}
