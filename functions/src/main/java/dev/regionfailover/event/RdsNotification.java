package dev.regionfailover.event;

import java.util.Optional;
import java.util.Set;

/** An RDS event from EventBridge ({@code source: aws.rds}). Older events carry no EventID. */
public record RdsNotification(String detailType, Optional<String> eventId, String sourceIdentifier, String message) {

    /** Global-database failover and switchover outcomes: finished, completed, cancelled, failed. */
    public static final Set<String> GLOBAL_FAILOVER_OUTCOMES = Set.of("RDS-EVENT-0185", "RDS-EVENT-0238",
            "RDS-EVENT-0186", "RDS-EVENT-0187", "RDS-EVENT-0239");

    public String describe() {
        return eventId.orElse("an RDS event without EventID") + " (" + detailType + ", " + sourceIdentifier + ": "
                + AlarmSignal.abbreviate(message) + ")";
    }
}
