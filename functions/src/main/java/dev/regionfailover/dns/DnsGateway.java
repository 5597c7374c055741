package dev.regionfailover.dns;

import java.time.Duration;
import java.util.Optional;

/**
 * Moves the application's DNS name to a new writer. The record-update strategy edits the record through the
 * Route 53 control plane; a health-check-switch strategy (static stability) slots in behind the same interface.
 */
public interface DnsGateway {

    /** Where the application's name points now, if the record exists. */
    Optional<String> currentTarget();

    /** Points the name at the target; returns a change id to wait on. */
    String pointTo(String target, String comment);

    void awaitInSync(String changeId, Duration bound, Duration pollInterval);

    /** Fraction of Route 53 health checkers that report the check healthy (0 to 1). */
    double healthyCheckerFraction(String healthCheckId);
}
