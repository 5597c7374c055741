package dev.regionfailover.health;

/** One independent observation of the primary's health, with the evidence behind it. */
public record Signal(String name, State state, String evidence) {

    public enum State {
        OK, FAILING,
        /** No evidence either way (no data); counts for neither side. */
        UNKNOWN
    }

    public static Signal ok(String name, String evidence) {
        return new Signal(name, State.OK, evidence);
    }

    public static Signal failing(String name, String evidence) {
        return new Signal(name, State.FAILING, evidence);
    }

    public static Signal unknown(String name, String evidence) {
        return new Signal(name, State.UNKNOWN, evidence);
    }

    public boolean isFailing() {
        return state == State.FAILING;
    }
}
