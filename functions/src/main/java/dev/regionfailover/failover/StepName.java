package dev.regionfailover.failover;

/** The steps of a failover, in the order the workflow runs them. */
public enum StepName {
    ACQUIRE_LEASE, CHECK_RPO, FENCE_OLD_PRIMARY, PROMOTE_REPLICA, AWAIT_WRITER, REPOINT_DNS, NOTIFY
}
