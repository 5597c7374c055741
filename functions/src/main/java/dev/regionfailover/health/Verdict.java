package dev.regionfailover.health;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The outcome of one health evaluation, with all the evidence it rests on. {@code failingSince} is the first
 * failing evaluation of the current streak (null outside one): the start of detection, which the run report
 * measures its detection time from.
 */
public record Verdict(HealthStatus status, List<Signal> signals, int failingSignals, int quorum,
        int consecutiveFailures, int requiredConsecutive, Instant failingSince, Duration failingFor,
        Duration requiredFailingFor) {

    public boolean evaluationFailing() {
        return failingSignals >= quorum;
    }

    public String summary() {
        return status + " (" + failingSignals + "/" + signals.size() + " signals failing, quorum " + quorum
                + ", failing evaluations counted " + consecutiveFailures + "/" + requiredConsecutive
                + ", failing for " + failingFor.toSeconds() + "s/" + requiredFailingFor.toSeconds() + "s): "
                + signals.stream().map(s -> s.name() + "=" + s.state() + " [" + s.evidence() + "]")
                        .collect(Collectors.joining("; "));
    }
}
