package dev.regionfailover.database;

import dev.regionfailover.aws.Cadence;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * The database operations a failover needs, in domain words, for the configured pair. Two kinds sit behind it:
 * {@link RdsInstanceGateway} (a DB instance with a cross-region read replica) and {@link AuroraGlobalGateway}
 * (an Aurora global database); {@link DatabasePairs} builds the one {@code failover.database-kind} names.
 */
public interface DatabaseGateway {

    /** The side that serves writes before a failover (the configured primary). */
    DatabaseState primary();

    /** The side that is promoted (the replica, or the secondary cluster in the standby region). */
    DatabaseState standby();

    /** The standby's most recent replication lag in seconds within the window; empty when nothing was reported. */
    OptionalDouble lagSeconds(Duration window);

    /**
     * Moves the primary into security groups that admit no application traffic, at once, and tags it with the
     * groups it had (unless an earlier fence did), so that a failback can lift the fence.
     */
    void fencePrimary(List<String> securityGroupIds);

    /** The security groups the standby had before a fence, while it is still fenced (our tag on it). */
    Optional<List<String>> standbyFencedFrom();

    /** Puts the standby back into the security groups it had before it was fenced, and removes the tag. */
    void liftStandbyFence();

    /**
     * Starts making the standby the writer and returns at once, as the APIs do. {@code planned}: a switchover
     * that loses no data (Aurora's SwitchoverGlobalCluster); otherwise an unplanned failover.
     */
    void promote(boolean planned);

    /** Waits, polling, until the standby is the available writer, or throws when the bound passes. */
    DatabaseState awaitWriter(Duration bound, Cadence cadence);

    /** Whether a promotion (or managed failover) of the standby is already under way. */
    boolean promotionUnderWay();

    /**
     * The same, for the standby as {@link #standby()} just described it: a gateway that can tell from that state
     * alone (an RDS instance) makes no call of its own. Each describe is a round trip on the failover's path.
     */
    default boolean promotionUnderWay(DatabaseState standby) {
        return promotionUnderWay();
    }

    /** What readiness needs to know beyond the states: a reason managed failover would not work, if any. */
    List<String> readinessProblems();

    /**
     * Databases of the pair that a fence of ours could not touch, because IAM grants fencing them only by the plan's
     * tag and they lack it. Empty when IAM names the databases themselves (an RDS pair: generation 0 by name, and
     * each later generation is created with the tag in the same request, which IAM requires), so there is nothing
     * to check.
     */
    default Optional<List<String>> unfenceableDatabases() {
        return Optional.empty();
    }

    /**
     * The same databases seen for a failback: the current writer (this pair's standby) is the primary, and the
     * standby is where the writer goes back to, in the original primary region.
     */
    DatabaseGateway reversed();

    boolean standbyExists();

    /** Creates the standby as a replica of the primary (a failback's first step, and its last). */
    void createStandby();

    /** The pair in words, for plans and reports. */
    String describePair();
}
