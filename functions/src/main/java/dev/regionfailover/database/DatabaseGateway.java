package dev.regionfailover.database;

import java.time.Duration;
import java.util.List;

/**
 * The database operations a failover needs, in domain words. The RDS instance implementation is
 * {@link RdsInstanceGateway}; an Aurora global database implementation slots in behind the same interface.
 */
public interface DatabaseGateway {

    DbInstance describe(String region, String instanceId);

    /** Starts promotion of a read replica to a standalone writer; returns at once, as the API does. */
    void promote(String region, String instanceId);

    /** Waits, polling, until the instance is an available standalone writer, or throws when the bound passes. */
    DbInstance awaitWriter(String region, String instanceId, Duration bound, Duration pollInterval);

    /** Moves the instance into security groups that admit no application traffic, at once. */
    void fence(String region, String instanceId, List<String> securityGroupIds);
}
