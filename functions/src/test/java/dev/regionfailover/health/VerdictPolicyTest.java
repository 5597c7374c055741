package dev.regionfailover.health;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class VerdictPolicyTest {

    private static final Instant NOW = Instant.parse("2026-12-02T10:00:00Z");

    /** Two of three signals must fail, in three evaluations counted over at least two minutes. */
    private final VerdictPolicy policy = new VerdictPolicy(2, 3, Duration.ofMinutes(2));

    /** A streak of {@code counted} evaluations a minute apart, the last one now. */
    private static HealthHistory streak(int counted) {
        return counted == 0 ? HealthHistory.none()
                : new HealthHistory(NOW.minus(Duration.ofMinutes(counted - 1)), NOW, counted, List.of(), counted);
    }

    /** Signals spelled as one letter each: F failing, O ok, U unknown. */
    private static List<Signal> signals(String states) {
        List<Signal> signals = new ArrayList<>();
        for (int i = 0; i < states.length(); i++) {
            String name = "signal-" + i;
            signals.add(switch (states.charAt(i)) {
                case 'F' -> Signal.failing(name, "down");
                case 'O' -> Signal.ok(name, "fine");
                case 'U' -> Signal.unknown(name, "no data");
                default -> throw new IllegalArgumentException(states);
            });
        }
        return signals;
    }

    @ParameterizedTest(name = "{0} x{1} -> {2}")
    @CsvSource({
            "OOO, 0, HEALTHY,  0",
            "OOO, 5, HEALTHY,  0",
            "UUU, 5, HEALTHY,  0",
            "FOO, 0, DEGRADED, 1",
            "FOO, 9, DEGRADED, 1",
            "FUU, 9, DEGRADED, 1",
            "FFO, 1, DEGRADED, 2",
            "FFO, 2, DEGRADED, 2",
            "FFO, 3, FAILED,   2",
            "FFF, 4, FAILED,   3",
            "FFU, 3, FAILED,   2",
            "FUO, 3, DEGRADED, 1"})
    void decide(String states, int consecutive, HealthStatus status, int failing) {
        List<Signal> signals = signals(states);
        Verdict verdict = policy.decide(signals, streak(consecutive), NOW);
        assertAll(
                () -> assertEquals(status, verdict.status()),
                () -> assertEquals(failing, verdict.failingSignals()),
                () -> assertEquals(failing >= 2, verdict.evaluationFailing()),
                () -> assertEquals(failing >= 2, policy.isFailing(signals)),
                () -> assertEquals(signals, verdict.signals()),
                () -> assertEquals(2, verdict.quorum()),
                () -> assertEquals(failing >= 2 ? consecutive : 0, verdict.consecutiveFailures()),
                () -> assertEquals(3, verdict.requiredConsecutive()));
    }

    @Test
    void unknownSignalsNeverMakeQuorum() {
        VerdictPolicy single = new VerdictPolicy(1, 1, Duration.ZERO);
        assertEquals(HealthStatus.HEALTHY, single.decide(signals("UUUU"), streak(10), NOW).status());
        assertEquals(HealthStatus.FAILED, single.decide(signals("UUUF"), streak(1), NOW).status());
    }

    @Test
    void verdictKeepsItsOwnCopyOfTheSignals() {
        List<Signal> signals = signals("FFO");
        Verdict verdict = policy.decide(signals, streak(3), NOW);
        signals.clear();
        assertEquals(3, verdict.signals().size());
    }

    /**
     * Issue 10's false failover: three copies of one alarm within seconds counted three evaluations "in a row".
     * Counted evaluations are not enough: the streak must also have lasted the configured time.
     */
    @Test
    void threeCountedEvaluationsWithinSecondsAreNotFailed() {
        HealthHistory burst = new HealthHistory(NOW.minusSeconds(7), NOW, 3, List.of(), 3);
        assertEquals(HealthStatus.DEGRADED, policy.decide(signals("FFO"), burst, NOW).status());
        assertEquals(HealthStatus.FAILED, policy.decide(signals("FFO"), burst, NOW.plusSeconds(113)).status());
    }

    @Test
    void copiesOfOneEventAndTriggersCloserThanTheIntervalCountOnce() {
        Duration interval = Duration.ofMinutes(1);
        HealthHistory history = HealthHistory.none().next(true, Optional.of("alarm:a@t0"), NOW, interval);
        history = history.next(true, Optional.of("alarm:a@t0"), NOW.plusSeconds(1), interval);
        history = history.next(true, Optional.of("schedule:1"), NOW.plusSeconds(2), interval);
        assertEquals(1, history.counted(), "a copy and a trigger within the interval");
        history = history.next(true, Optional.of("alarm:a@t0"), NOW.plusSeconds(90), interval);
        assertEquals(1, history.counted(), "a late copy of a counted event");
        history = history.next(true, Optional.of("schedule:2"), NOW.plusSeconds(90), interval);
        assertEquals(2, history.counted());
        assertEquals(NOW, history.failingSince());
        history = history.next(false, Optional.of("schedule:3"), NOW.plusSeconds(150), interval);
        assertEquals(HealthHistory.none().counted(), history.counted(), "a passing evaluation ends the streak");
        assertEquals(Duration.ZERO, history.failingFor(NOW.plusSeconds(150)));
    }

    @Test
    void summaryNamesTheEvidence() {
        String summary = policy.decide(signals("FOU"), streak(1), NOW).summary();
        assertTrue(summary.startsWith("DEGRADED (1/3 signals failing, quorum 2, failing evaluations counted 0/3, "
                + "failing for 0s/120s)"), summary);
        assertTrue(summary.contains("signal-0=FAILING [down]; signal-1=OK [fine]; signal-2=UNKNOWN [no data]"),
                summary);
    }
}
