package dev.regionfailover.database;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * What a database's status says about serving, read precisely: AWS documents each status string, and each falls
 * in one class. Health reads {@link #isServing()} (a busy primary is not failing); promotion reads
 * {@link #canPromoteFrom()} (only an available replica is promoted), {@link #worthWaitingFor()} (a busy or
 * restarting replica is waited for) and refuses the rest.
 *
 * <p>Sources, one table each:
 * <ul>
 * <li>RDS DB instance statuses: "Viewing Amazon RDS DB instance status", RDS User Guide,
 * https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/accessing-monitoring.html#Overview.DBInstance.Status
 * <li>Aurora DB cluster statuses: "Viewing DB cluster status", Aurora User Guide,
 * https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/accessing-monitoring.html#Aurora.Status
 * <li>Aurora global database failover states: FailoverState, RDS API Reference,
 * https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_FailoverState.html
 * </ul>
 * A status string none of them documents is {@link #UNKNOWN}: not serving for health, and never promoted from,
 * because nothing says what it means.
 */
public enum ServingStatus {

    /** Takes reads and writes normally. */
    SERVING,
    /** Serving, with an operation under way that ends on its own: not failing, but not promotable yet. */
    BUSY,
    /** Not serving, and comes back on its own: failing for health; as a promotion target, waited for. */
    DOWN,
    /** Not serving, and does not come back without a human: failing; never a promotion target. */
    TERMINAL,
    /** A status AWS does not document: failing for health, never promoted from. */
    UNKNOWN;

    /** One documented status: its class and why, in one line. */
    public record Reading(ServingStatus status, String reason) {
    }

    private static final Map<String, Reading> INSTANCE = new LinkedHashMap<>();
    private static final Map<String, Reading> CLUSTER = new LinkedHashMap<>();
    private static final Map<String, Reading> GLOBAL_FAILOVER = new LinkedHashMap<>();

    static {
        // RDS DB instance statuses, in the order of the RDS User Guide's table
        instance("available", SERVING, "healthy and available");
        instance("backing-up", BUSY, "a backup runs while it serves; PromoteReadReplica is refused until it ends");
        instance("configuring-enhanced-monitoring", BUSY, "Enhanced Monitoring is switched on or off while it serves");
        instance("configuring-iam-database-auth", BUSY, "IAM database authentication is switched while it serves");
        instance("configuring-log-exports", BUSY, "log publishing to CloudWatch Logs is switched while it serves");
        instance("converting-to-vpc", BUSY, "being converted into a VPC, an operation that ends on its own");
        instance("creating", DOWN, "inaccessible while it is created; becomes available on its own");
        instance("delete-precheck", TERMINAL, "a deletion was requested; RDS checks its replicas before deleting it");
        instance("deleting", TERMINAL, "being deleted");
        instance("failed", TERMINAL, "failed and RDS cannot recover it: a point-in-time restore is needed");
        instance("inaccessible-encryption-credentials", TERMINAL, "its KMS key cannot be accessed or recovered");
        instance("inaccessible-encryption-credentials-recoverable", TERMINAL,
                "its KMS key cannot be accessed; only a restart by a human, with the key active, recovers it");
        instance("incompatible-network", TERMINAL,
                "a recovery action is blocked by the VPC's state (e.g. no free IP); a human must fix the network");
        instance("incompatible-option-group", TERMINAL,
                "an option group change could not be applied nor rolled back; a human must fix the option group");
        instance("incompatible-parameters", TERMINAL,
                "cannot start with its parameter group; a human must revert or fix the parameters");
        instance("incompatible-restore", TERMINAL, "a point-in-time restore cannot be done");
        instance("insufficient-capacity", TERMINAL,
                "cannot be created for lack of capacity; AWS advises deleting it and creating it again");
        instance("maintenance", BUSY, "maintenance that RDS scheduled well in advance; ends on its own");
        instance("modifying", BUSY, "a requested modification is applied while it serves");
        instance("moving-to-vpc", BUSY, "being moved to a new VPC, an operation that ends on its own");
        instance("rebooting", DOWN, "rebooting (on request or an RDS process); back when the reboot ends");
        instance("resetting-master-credentials", BUSY, "the master credentials are reset while it serves");
        instance("renaming", BUSY, "being renamed on request; ends on its own");
        instance("restore-error", TERMINAL, "a restore to a point in time or from a snapshot failed");
        instance("starting", DOWN, "starting; becomes available on its own");
        instance("stopped", TERMINAL,
                "stopped; only a human starts it (RDS's own restart after 7 days is far beyond any failover)");
        instance("stopping", TERMINAL, "being stopped: it ends stopped, which needs a human");
        instance("storage-config-upgrade", BUSY,
                "its storage file system configuration is upgraded (read replicas, blue/green); ends on its own");
        instance("storage-full", TERMINAL, "out of allocated storage; a human must scale the storage up");
        instance("storage-initialization", BUSY,
                "restored from a snapshot, it loads its blocks in the background while it serves");
        instance("storage-optimization", BUSY,
                "storage size or type is changed; the instance is fully operational meanwhile");
        instance("upgrading", DOWN, "the engine version is upgraded, with downtime; back when it ends");

        // Aurora DB cluster statuses, in the order of the Aurora User Guide's table
        cluster("available", SERVING, "healthy and available");
        cluster("backing-up", BUSY, "a backup runs while it serves");
        cluster("backtracking", DOWN,
                "rewinding to an earlier time (Aurora MySQL): connections are closed until it ends");
        cluster("cloning-failed", TERMINAL, "cloning the cluster failed");
        cluster("creating", DOWN, "inaccessible while it is created; becomes available on its own");
        cluster("deleting", TERMINAL, "being deleted");
        cluster("failing-over", DOWN, "failing over to another instance (or region); back when it ends");
        cluster("inaccessible-encryption-credentials", TERMINAL, "its KMS key cannot be accessed or recovered");
        cluster("inaccessible-encryption-credentials-recoverable", TERMINAL,
                "its KMS key cannot be accessed; only a restart by a human, with the key active, recovers it");
        cluster("maintenance", BUSY, "maintenance that RDS scheduled well in advance; ends on its own");
        cluster("migrating", DOWN, "a snapshot is being restored into it; serves when the migration ends");
        cluster("migration-failed", TERMINAL, "a migration failed");
        cluster("modifying", BUSY, "a requested modification is applied while it serves");
        cluster("promoting", DOWN, "a read replica cluster is being promoted to standalone; a writer when it ends");
        cluster("renaming", BUSY, "being renamed on request; ends on its own");
        cluster("resetting-master-credentials", BUSY, "the master credentials are reset while it serves");
        cluster("starting", DOWN, "starting; becomes available on its own");
        cluster("stopped", TERMINAL,
                "stopped; only a human starts it (Aurora's own restart after 7 days is far beyond any failover)");
        cluster("stopping", TERMINAL, "being stopped: it ends stopped, which needs a human");
        cluster("storage-optimization", BUSY, "storage is changed while it stays fully operational");
        cluster("update-iam-db-auth", BUSY, "IAM authorization is updated while it serves");
        cluster("upgrading", DOWN, "the engine version is upgraded, with downtime; back when it ends");

        // A global database's FailoverState.Status, which the Aurora gateway shows as the target's status while
        // a managed failover or switchover runs: the target is not the writer yet, and becomes it on its own.
        GLOBAL_FAILOVER.put("pending", new Reading(DOWN, "a switchover or failover was requested and is verified"));
        GLOBAL_FAILOVER.put("failing-over", new Reading(DOWN, "the secondary is being promoted (global failover)"));
        GLOBAL_FAILOVER.put("switching-over", new Reading(DOWN, "roles are being switched (global switchover)"));
        GLOBAL_FAILOVER.put("cancelling", new Reading(DOWN, "the request is cancelled; both return to their roles"));
    }

    private static void instance(String status, ServingStatus serving, String reason) {
        INSTANCE.put(status, new Reading(serving, reason));
    }

    private static void cluster(String status, ServingStatus serving, String reason) {
        CLUSTER.put(status, new Reading(serving, reason));
    }

    /** An RDS DB instance's {@code DBInstanceStatus}. */
    public static ServingStatus ofInstance(String rdsDbInstanceStatus) {
        return read(INSTANCE, rdsDbInstanceStatus);
    }

    /** An Aurora DB cluster's {@code Status}. */
    public static ServingStatus ofCluster(String auroraDbClusterStatus) {
        return read(CLUSTER, auroraDbClusterStatus);
    }

    /** A global cluster's {@code FailoverState.Status}, as seen on the cluster being promoted. */
    public static ServingStatus ofGlobalFailover(String failoverStateStatus) {
        return read(GLOBAL_FAILOVER, failoverStateStatus);
    }

    /** Every documented RDS DB instance status, with its class and reason, in the documentation's order. */
    public static Map<String, Reading> instanceTable() {
        return Collections.unmodifiableMap(INSTANCE);
    }

    /** Every documented Aurora DB cluster status, with its class and reason, in the documentation's order. */
    public static Map<String, Reading> clusterTable() {
        return Collections.unmodifiableMap(CLUSTER);
    }

    /** Every documented FailoverState status of a global cluster. */
    public static Map<String, Reading> globalFailoverTable() {
        return Collections.unmodifiableMap(GLOBAL_FAILOVER);
    }

    // AWS writes statuses in lower case; the Aurora guide's instance table capitalises them, so case is ignored
    private static ServingStatus read(Map<String, Reading> table, String status) {
        if (status == null) {
            return UNKNOWN;
        }
        Reading reading = table.get(status.trim().toLowerCase(Locale.ROOT));
        return reading == null ? UNKNOWN : reading.status();
    }

    /** Serving reads and writes (maybe busy): a primary in this status is not failing. */
    public boolean isServing() {
        return this == SERVING || this == BUSY;
    }

    /** A replica in this status may be promoted now. */
    public boolean canPromoteFrom() {
        return this == SERVING;
    }

    /** A replica in this status will be promotable on its own: wait for it, rather than refuse. */
    public boolean worthWaitingFor() {
        return this == BUSY || this == DOWN;
    }

    /** What a promotion aimed at a database in this status does. */
    public String asPromotionTarget() {
        return canPromoteFrom() ? "promote" : worthWaitingFor() ? "wait" : "refuse";
    }
}
