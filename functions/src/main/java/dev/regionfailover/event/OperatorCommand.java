package dev.regionfailover.event;

/** A failover an operator asked for through EventBridge. */
public record OperatorCommand(String reason, boolean dryRun, boolean force, String requestedBy, String source,
        String account, String eventId) {
}
