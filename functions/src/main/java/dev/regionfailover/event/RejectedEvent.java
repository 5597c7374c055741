package dev.regionfailover.event;

/**
 * An event we will not act on, with a reason fit for the caller and the logs. Thrown before any AWS call, so a
 * rejected event can never cause a mutating one.
 */
public class RejectedEvent extends RuntimeException {

    public enum Kind {
        /** Not JSON, too large, or a field of the wrong type or missing. */
        MALFORMED,
        /** Well-formed, but not a kind of event this handler acts on. */
        UNKNOWN,
        /** From a source, account or path that may not command this plan (or not with {@code force}). */
        UNAUTHORISED,
        /** An order whose event time is older than failover.operator.max-order-age, or in the future. */
        STALE;

        /** An order refused for who sent it or when: a security event, told to people (rate-limited). */
        public boolean toldToPeople() {
            return this == UNAUTHORISED || this == STALE;
        }
    }

    private final Kind kind;

    public RejectedEvent(Kind kind, String reason) {
        super(reason, null, false, false);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
