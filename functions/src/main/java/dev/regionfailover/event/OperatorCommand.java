package dev.regionfailover.event;

/** A failover or planned switchover an operator asked for through EventBridge. */
public record OperatorCommand(Action action, String reason, boolean dryRun, boolean force, String requestedBy,
        String source, String account, String eventId) {

    public enum Action {
        /** detail-type "Manual Failover Requested": promote now, within the RPO budget unless forced. */
        FAILOVER,
        /** detail-type "Planned Switchover Requested": no data loss (lag 0; Aurora's SwitchoverGlobalCluster). */
        SWITCHOVER,
        /** detail-type "Failback Requested": back to the primary region once it has recovered, no data loss. */
        FAILBACK,
        /** detail-type "Cooldown Acknowledged": ends the anti-flapping cooldown after the last run. */
        ACKNOWLEDGE_COOLDOWN
    }
}
