package dev.regionfailover.failover;

/** What started a run, for the journal and the notification. */
public record Trigger(Kind kind, String description, String requestedBy) {

    public enum Kind {
        ALARM, SCHEDULE, OPERATOR,
        /** An RDS event: it resumes a running failover, never starts one. */
        RDS_EVENT
    }

    public boolean byOperator() {
        return kind == Kind.OPERATOR;
    }
}
