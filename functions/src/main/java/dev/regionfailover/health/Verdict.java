package dev.regionfailover.health;

import java.util.List;
import java.util.stream.Collectors;

/** The outcome of one health evaluation, with all the evidence it rests on. */
public record Verdict(HealthStatus status, List<Signal> signals, int failingSignals, int quorum,
        int consecutiveFailures, int requiredConsecutive) {

    public boolean evaluationFailing() {
        return failingSignals >= quorum;
    }

    public String summary() {
        return status + " (" + failingSignals + "/" + signals.size() + " signals failing, quorum " + quorum
                + ", failing evaluations in a row " + consecutiveFailures + "/" + requiredConsecutive + "): "
                + signals.stream().map(s -> s.name() + "=" + s.state() + " [" + s.evidence() + "]")
                        .collect(Collectors.joining("; "));
    }
}
