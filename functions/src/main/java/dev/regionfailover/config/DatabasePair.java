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
        Dns dns, List<String> fenceSecurityGroupIds, String journalPartition, FailoverConfig.FailoverMode mode,
        Optional<CrossAccount> crossAccount) {

    /** A pair in the stack's own account. */
    public DatabasePair(String name, DatabaseKind kind, String primaryRegion, Optional<String> primaryDbInstanceId,
            String standbyRegion, Optional<String> standbyDbInstanceId, Optional<String> auroraGlobalClusterId,
            Dns dns, List<String> fenceSecurityGroupIds, String journalPartition, FailoverConfig.FailoverMode mode) {
        this(name, kind, primaryRegion, primaryDbInstanceId, standbyRegion, standbyDbInstanceId, auroraGlobalClusterId,
                dns, fenceSecurityGroupIds, journalPartition, mode, Optional.empty());
    }

    /**
     * A pair whose databases live in another account (a workload account; the stack runs in a central one): its RDS
     * and CloudWatch calls, and its Route 53 calls when {@code route53}, go through this role, assumed with the
     * external id. The journal, the notifications, the watched alarms and the stack's own alarms stay here.
     */
    public record CrossAccount(String roleArn, Optional<String> externalId, boolean route53) {

        /** The account of the role: an IAM role ARN is arn:partition:iam::account:role/name. */
        public String accountId() {
            return roleArn.split(":")[4];
        }
    }

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
