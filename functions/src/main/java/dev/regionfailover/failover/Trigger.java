package dev.regionfailover.failover;

/** What started a run, for the journal and the notification. */
public record Trigger(Kind kind, String description, String requestedBy) {

    public enum Kind {
        ALARM, SCHEDULE, OPERATOR
    }

    public boolean byOperator() {
        return kind == Kind.OPERATOR;
    }
}
