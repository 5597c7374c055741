package dev.regionfailover.event;

import java.util.List;

/**
 * A failover, switchover, failback, acknowledgement or approval an operator asked for through EventBridge.
 * {@code runIds}: the runs an approval names (empty for every other action).
 */
public record OperatorCommand(Action action, String reason, boolean dryRun, boolean force, String requestedBy,
        String source, String account, String eventId, List<String> runIds) {

    public OperatorCommand {
        runIds = List.copyOf(runIds);
    }

    /** An order that names no run. */
    public OperatorCommand(Action action, String reason, boolean dryRun, boolean force, String requestedBy,
            String source, String account, String eventId) {
        this(action, reason, dryRun, force, requestedBy, source, account, eventId, List.of());
    }

    public enum Action {
        /** detail-type "Manual Failover Requested": promote now, within the RPO budget unless forced. */
        FAILOVER,
        /** detail-type "Planned Switchover Requested": no data loss (lag 0; Aurora's SwitchoverGlobalCluster). */
        SWITCHOVER,
        /** detail-type "Failback Requested": back to the primary region once it has recovered, no data loss. */
        FAILBACK,
        /** detail-type "Cooldown Acknowledged": ends the anti-flapping cooldown after the last run. */
        ACKNOWLEDGE_COOLDOWN,
        /** detail-type "Failover Approved": lets the named runs, waiting at AWAIT_APPROVAL, go on. */
        APPROVE
    }
}
