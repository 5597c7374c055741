package dev.regionfailover.failover;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.annotation.JsonInclude;

import dev.regionfailover.aws.Cadence;

/**
 * Where a run's recovery time went, phase by phase, from its own step records: what an SRE needs to tell our time
 * from AWS's. {@code detection}: first failing evaluation to the verdict FAILED (the run's start; automatic runs
 * only). {@code decision}: the run's start to the promotion requested. {@code managedOperation}: the promotion
 * requested to the new writer seen available, which includes our notice lag; {@code expectedNoticeLag} is that lag
 * as polling makes it, half the poll interval on average. When an RDS event made the wait look ({@code noticedOn}, its
 * EventID), the lag is measured instead: {@code noticeLag}, from the event's own time (when AWS says the writer was
 * ready) to our seeing the writer, EventBridge's delivery and our journal check included. {@code switchover}: the writer seen to the DNS change
 * submitted. A phase the run did not pass through in this invocation (a resumed run's earlier steps, a dry run) is
 * absent. Notifying comes after the report it sends, so its time is in the journal's NOTIFY step, not here.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RtoBreakdown(Double detectionSeconds, Double decisionSeconds, Double managedOperationSeconds,
        Double expectedNoticeLagSeconds, Double noticeLagSeconds, String noticedOn, Double switchoverSeconds) {

    static RtoBreakdown of(Instant failingSince, Instant runStarted, List<StepRecord> steps, Duration pollInterval,
            Optional<Cadence.Told> writerToldBy) {
        // Only a promotion this invocation asked for starts the managed operation; the waits after it count even
        // when they found their change already made.
        Optional<Instant> promotionRequested = endOf(steps, StepName.PROMOTE_REPLICA, Set.of(StepStatus.DONE));
        Optional<Instant> writerSeen = endOf(steps, StepName.AWAIT_WRITER, FINISHED_BY_US);
        Optional<Instant> dnsChanged = endOf(steps, StepName.REPOINT_DNS, FINISHED_BY_US);
        Optional<Cadence.Told> told = writerSeen.flatMap(seen -> writerToldBy);
        return new RtoBreakdown(
                failingSince == null ? null : seconds(failingSince, runStarted),
                promotionRequested.map(at -> seconds(runStarted, at)).orElse(null),
                promotionRequested.flatMap(from -> writerSeen.map(to -> seconds(from, to))).orElse(null),
                writerSeen.isPresent() && told.isEmpty() ? pollInterval.toMillis() / 2000.0 : null,
                told.map(event -> Math.max(0, seconds(event.at(), writerSeen.orElseThrow()))).orElse(null),
                told.map(Cadence.Told::what).orElse(null),
                writerSeen.flatMap(from -> dnsChanged.map(to -> seconds(from, to))).orElse(null));
    }

    /** The phases measured, for people ("detection 121.0 s, decision 2.3 s, ..."); null when none was. */
    public String describe() {
        List<String> phases = new ArrayList<>();
        phase(phases, "detection", detectionSeconds);
        phase(phases, "decision", decisionSeconds);
        if (managedOperationSeconds != null && noticedOn != null) {
            phases.add(String.format(Locale.ROOT, "managed operation %.1f s (noticed %.2f s after %s)",
                    managedOperationSeconds, noticeLagSeconds, noticedOn));
        } else if (managedOperationSeconds != null) {
            phases.add(String.format(Locale.ROOT, "managed operation %.1f s (of which our notice lag "
                    + "%.1f s expected)", managedOperationSeconds, expectedNoticeLagSeconds));
        }
        phase(phases, "DNS switch", switchoverSeconds);
        return phases.isEmpty() ? null : String.join(", ", phases);
    }

    private static void phase(List<String> phases, String name, Double seconds) {
        if (seconds != null) {
            phases.add(String.format(Locale.ROOT, "%s %.1f s", name, seconds));
        }
    }

    private static final Set<StepStatus> FINISHED_BY_US = Set.of(StepStatus.DONE, StepStatus.ALREADY_DONE);

    /** When the step last ended with one of {@code statuses} in these records. */
    private static Optional<Instant> endOf(List<StepRecord> steps, StepName name, Set<StepStatus> statuses) {
        return steps.stream().filter(step -> step.name() == name && statuses.contains(step.status())
                && step.endedAt() != null).map(StepRecord::endedAt).reduce((first, last) -> last);
    }

    private static double seconds(Instant from, Instant to) {
        return Duration.between(from, to).toMillis() / 1000.0;
    }
}
