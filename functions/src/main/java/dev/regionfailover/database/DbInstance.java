package dev.regionfailover.database;

import java.util.List;

/** What the workflow needs to know about one RDS DB instance. */
public record DbInstance(String id, String region, String status, String endpoint, String replicaSource,
        List<String> securityGroupIds) {

    public boolean isReplica() {
        return replicaSource != null && !replicaSource.isBlank();
    }

    public boolean isAvailable() {
        return "available".equals(status);
    }

    /** A standalone, available instance accepts writes: the state promotion must reach. */
    public boolean isWriter() {
        return isAvailable() && !isReplica();
    }
}
