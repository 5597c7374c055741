package dev.regionfailover.failover;

import dev.regionfailover.health.Verdict;

/**
 * A typed order to fail over, built by a handler from its event. {@code force} overrides the RPO guard (an
 * operator's choice), never the lease.
 */
public record FailoverRequest(Trigger trigger, String reason, boolean force, Verdict verdict) {
}
