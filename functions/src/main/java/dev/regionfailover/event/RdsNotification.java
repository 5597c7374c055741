package dev.regionfailover.event;

import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * An RDS event from EventBridge ({@code source: aws.rds}). Older events carry no EventID. {@code source} is the
 * resource it concerns as {@link #source(String, String)} keys it (empty when the event names none), and
 * {@code occurredAt} when RDS says it happened ({@code detail.Date}, else the envelope's {@code time}).
 */
public record RdsNotification(String detailType, Optional<String> eventId, String sourceIdentifier, String message,
        Optional<String> source, Optional<Instant> occurredAt) {

    /** "Aurora finished changing the DNS name that the global writer endpoint resolves to." */
    public static final String GLOBAL_WRITER_ENDPOINT_MOVED = "RDS-EVENT-0397";

    /**
     * The events a running failover acts on: the global database's failover and switchover outcomes (0185
     * switchover finished, 0238 failover completed, 0186 cancelled, 0187 and 0239 failed), and the global writer
     * endpoint's DNS change.
     */
    public static final Set<String> ACTED_ON = Set.of("RDS-EVENT-0185", "RDS-EVENT-0238", "RDS-EVENT-0186",
            "RDS-EVENT-0187", "RDS-EVENT-0239", GLOBAL_WRITER_ENDPOINT_MOVED);

    /** An event as a test or an older sender gives it: no source, no time. */
    public RdsNotification(String detailType, Optional<String> eventId, String sourceIdentifier, String message) {
        this(detailType, eventId, sourceIdentifier, message, Optional.empty(), Optional.empty());
    }

    /**
     * How the journal keys what an event is about and what a wait waits on: a database's region and identifier.
     * Region and identifier rather than the ARN, since a wait knows its cluster by region and identifier.
     */
    public static String source(String region, String identifier) {
        return region + "/" + identifier;
    }

    public boolean actedOn() {
        return eventId.filter(ACTED_ON::contains).isPresent();
    }

    public String describe() {
        return eventId.orElse("an RDS event without EventID") + " (" + detailType + ", " + sourceIdentifier + ": "
                + AlarmSignal.abbreviate(message) + ")";
    }
}
