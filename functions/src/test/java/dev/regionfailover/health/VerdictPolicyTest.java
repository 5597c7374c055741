package dev.regionfailover.health;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class VerdictPolicyTest {

    /** Two of three signals must fail, in three evaluations in a row. */
    private final VerdictPolicy policy = new VerdictPolicy(2, 3);

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
        Verdict verdict = policy.decide(signals, consecutive);
        assertAll(
                () -> assertEquals(status, verdict.status()),
                () -> assertEquals(failing, verdict.failingSignals()),
                () -> assertEquals(failing >= 2, verdict.evaluationFailing()),
                () -> assertEquals(failing >= 2, policy.isFailing(signals)),
                () -> assertEquals(signals, verdict.signals()),
                () -> assertEquals(2, verdict.quorum()),
                () -> assertEquals(consecutive, verdict.consecutiveFailures()),
                () -> assertEquals(3, verdict.requiredConsecutive()));
    }

    @Test
    void unknownSignalsNeverMakeQuorum() {
        VerdictPolicy single = new VerdictPolicy(1, 1);
        assertEquals(HealthStatus.HEALTHY, single.decide(signals("UUUU"), 10).status());
        assertEquals(HealthStatus.FAILED, single.decide(signals("UUUF"), 1).status());
    }

    @Test
    void verdictKeepsItsOwnCopyOfTheSignals() {
        List<Signal> signals = signals("FFO");
        Verdict verdict = policy.decide(signals, 3);
        signals.clear();
        assertEquals(3, verdict.signals().size());
    }

    @Test
    void summaryNamesTheEvidence() {
        String summary = policy.decide(signals("FOU"), 1).summary();
        assertTrue(summary.startsWith("DEGRADED (1/3 signals failing, quorum 2, failing evaluations in a row 1/3)"),
                summary);
        assertTrue(summary.contains("signal-0=FAILING [down]; signal-1=OK [fine]; signal-2=UNKNOWN [no data]"),
                summary);
    }
}
