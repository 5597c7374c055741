package dev.regionfailover.database;

import java.time.Duration;
import java.util.List;
import java.util.OptionalDouble;

/**
 * The database operations a failover needs, in domain words, for the configured pair. Two kinds sit behind it:
 * {@link RdsInstanceGateway} (a DB instance with a cross-region read replica) and {@link AuroraGlobalGateway}
 * (an Aurora global database); {@link DatabaseGatewayProducer} picks one from {@code failover.database-kind}.
 */
public interface DatabaseGateway {

    /** The side that serves writes before a failover (the configured primary). */
    DatabaseState primary();

    /** The side that is promoted (the replica, or the secondary cluster in the standby region). */
    DatabaseState standby();

    /** The standby's most recent replication lag in seconds within the window; empty when nothing was reported. */
    OptionalDouble lagSeconds(Duration window);

    /** Moves the primary into security groups that admit no application traffic, at once. */
    void fencePrimary(List<String> securityGroupIds);

    /**
     * Starts making the standby the writer and returns at once, as the APIs do. {@code planned}: a switchover
     * that loses no data (Aurora's SwitchoverGlobalCluster); otherwise an unplanned failover.
     */
    void promote(boolean planned);

    /** Waits, polling, until the standby is the available writer, or throws when the bound passes. */
    DatabaseState awaitWriter(Duration bound, Duration pollInterval);

    /** Whether a promotion (or managed failover) of the standby is already under way. */
    boolean promotionUnderWay();

    /** What readiness needs to know beyond the states: a reason managed failover would not work, if any. */
    List<String> readinessProblems();
}
