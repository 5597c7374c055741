package dev.regionfailover.failover;

/** What a run does: fail over to the standby region, or fail back to the primary region once it has recovered. */
public enum RunKind {
    FAILOVER, FAILBACK
}
