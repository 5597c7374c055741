package dev.regionfailover.database;

import java.util.List;
import java.util.Objects;

/**
 * One side of a database pair as a failover sees it: an RDS DB instance, or an Aurora cluster of a global
 * database. {@code readerEndpoint} is where it serves reads (an Aurora cluster's reader endpoint; an instance's
 * own endpoint). {@code replicationSource} names what it replicates from while it is a replica or secondary.
 * {@code kind} says which of AWS's status tables {@code status} comes from (see {@link #serving()}).
 */
public record DatabaseState(String id, String region, String status, String endpoint, String readerEndpoint,
        String replicationSource, List<String> securityGroupIds, Kind kind) {

    public DatabaseState {
        Objects.requireNonNull(kind, "kind");
    }

    /** Which resource this is, so that its status is read from the right documented table. */
    public enum Kind {
        DB_INSTANCE, DB_CLUSTER
    }

    /** A DB instance: it serves reads at its own endpoint. */
    public DatabaseState(String id, String region, String status, String endpoint, String replicationSource,
            List<String> securityGroupIds) {
        this(id, region, status, endpoint, endpoint, replicationSource, securityGroupIds, Kind.DB_INSTANCE);
    }

    /** An Aurora cluster: it serves reads at its reader endpoint. */
    public DatabaseState(String id, String region, String status, String endpoint, String readerEndpoint,
            String replicationSource, List<String> securityGroupIds) {
        this(id, region, status, endpoint, readerEndpoint, replicationSource, securityGroupIds, Kind.DB_CLUSTER);
    }

    public boolean isReplica() {
        return replicationSource != null && !replicationSource.isBlank();
    }

    public boolean isAvailable() {
        return "available".equals(status);
    }

    /** A standalone (or writer), available database accepts writes: the state promotion must reach. */
    public boolean isWriter() {
        return isAvailable() && !isReplica();
    }

    /**
     * The status read precisely. A cluster being promoted by a managed failover shows the global cluster's
     * FailoverState status (pending, switching-over, ...), which the cluster table does not hold.
     */
    public ServingStatus serving() {
        if (kind == Kind.DB_INSTANCE) {
            return ServingStatus.ofInstance(status);
        }
        ServingStatus cluster = ServingStatus.ofCluster(status);
        return cluster == ServingStatus.UNKNOWN ? ServingStatus.ofGlobalFailover(status) : cluster;
    }

    public String describe() {
        return id + " in " + region;
    }
}
