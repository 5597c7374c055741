package dev.regionfailover.config;

import java.util.List;
import java.util.Optional;

import dev.regionfailover.config.FailoverConfig.DatabaseKind;
import dev.regionfailover.config.FailoverConfig.DnsStrategy;

/**
 * One database pair of a plan and the DNS name its clients use. A plan of one names its pair in the top-level
 * settings; a plan that evacuates a region adds more in {@code failover.additional-databases} (see
 * {@link PlanPairs}). Both regions are the plan's: every pair moves from the same primary region to the same
 * standby region.
 */
public record DatabasePair(String name, DatabaseKind kind, String primaryRegion, Optional<String> primaryDbInstanceId,
        String standbyRegion, Optional<String> standbyDbInstanceId, Optional<String> auroraGlobalClusterId,
        Dns dns, List<String> fenceSecurityGroupIds, String journalPartition, FailoverConfig.FailoverMode mode) {

    /** The name clients use for the pair's writer, and how it is moved. */
    public record Dns(String hostedZoneId, String recordName, long ttl, DnsStrategy strategy,
            Optional<String> switchAlarmName, Optional<Readers> readers) {
    }

    /**
     * The pair's reader name: one latency record per region, each with a health check that follows the alarm
     * {@code alarmNamePrefix + region}.
     */
    public record Readers(String recordName, long ttl, String alarmNamePrefix) {

        public String alarmName(String region) {
            return alarmNamePrefix + region;
        }
    }
}
