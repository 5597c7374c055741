package dev.regionfailover.health;

import java.util.List;

/**
 * Turns signals into a verdict. An evaluation fails when at least {@code quorum} independent signals fail, so
 * one flapping alarm cannot move a database; the verdict is FAILED only after {@code requiredConsecutive}
 * failing evaluations in a row, so one bad minute cannot either. Anything short of that, with some signal
 * failing, is DEGRADED.
 */
public final class VerdictPolicy {

    private final int quorum;
    private final int requiredConsecutive;

    public VerdictPolicy(int quorum, int requiredConsecutive) {
        this.quorum = quorum;
        this.requiredConsecutive = requiredConsecutive;
    }

    public boolean isFailing(List<Signal> signals) {
        return failing(signals) >= quorum;
    }

    /**
     * @param consecutiveFailures failing evaluations in a row including this one (0 when this one passed)
     */
    public Verdict decide(List<Signal> signals, int consecutiveFailures) {
        int failing = failing(signals);
        HealthStatus status;
        if (failing >= quorum && consecutiveFailures >= requiredConsecutive) {
            status = HealthStatus.FAILED;
        } else if (failing > 0) {
            status = HealthStatus.DEGRADED;
        } else {
            status = HealthStatus.HEALTHY;
        }
        return new Verdict(status, List.copyOf(signals), failing, quorum, consecutiveFailures, requiredConsecutive);
    }

    private static int failing(List<Signal> signals) {
        return (int) signals.stream().filter(Signal::isFailing).count();
    }
}
