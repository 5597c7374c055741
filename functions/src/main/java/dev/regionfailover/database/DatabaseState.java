package dev.regionfailover.database;

import java.util.List;

/**
 * One side of a database pair as a failover sees it: an RDS DB instance, or an Aurora cluster of a global
 * database. {@code readerEndpoint} is where it serves reads (an Aurora cluster's reader endpoint; an instance's
 * own endpoint). {@code replicationSource} names what it replicates from while it is a replica or secondary.
 */
public record DatabaseState(String id, String region, String status, String endpoint, String readerEndpoint,
        String replicationSource, List<String> securityGroupIds) {

    /** A DB instance: it serves reads at its own endpoint. */
    public DatabaseState(String id, String region, String status, String endpoint, String replicationSource,
            List<String> securityGroupIds) {
        this(id, region, status, endpoint, endpoint, replicationSource, securityGroupIds);
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

    public String describe() {
        return id + " in " + region;
    }
}
