package dev.regionfailover.failover;

import dev.regionfailover.health.Verdict;

/**
 * A typed order to fail over, built by a handler from its event. {@code force} overrides the RPO guard (an
 * operator's choice), never the lease. {@code planned}: an operator's switchover, which must lose no data (the
 * replica's lag must be zero, and Aurora switches over with RPO 0).
 */
public record FailoverRequest(Trigger trigger, String reason, boolean force, boolean planned, Verdict verdict,
        RunKind kind) {

    /** A failover (the common case). */
    public FailoverRequest(Trigger trigger, String reason, boolean force, boolean planned, Verdict verdict) {
        this(trigger, reason, force, planned, verdict, RunKind.FAILOVER);
    }
}
