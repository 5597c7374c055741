package dev.regionfailover.notify;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.regionfailover.failover.FailoverReport;
import dev.regionfailover.failover.RunKind;
import dev.regionfailover.failover.RunState;
import dev.regionfailover.failover.StepName;
import dev.regionfailover.failover.StepRecord;
import dev.regionfailover.failover.StepStatus;
import dev.regionfailover.failover.Trigger;

class NotifierTest {

    private static final Instant T0 = Instant.parse("2026-11-22T14:07:40Z");

    private static final List<StepRecord> STEPS = List.of(
            new StepRecord(StepName.ACQUIRE_LEASE, StepStatus.DONE, T0, T0.plusMillis(42), "lease held", null),
            new StepRecord(StepName.CHECK_RPO, StepStatus.DONE, T0, T0.plusSeconds(2), "replica lag 3 s", null),
            new StepRecord(StepName.PROMOTE_REPLICA, StepStatus.IN_PROGRESS, T0, null, "promoting", null));

    private static FailoverReport report(String plan, RunState state, String summary, Double lag,
            List<String> warnings) {
        return new FailoverReport(plan, plan, RunKind.FAILOVER, "run-7", state, summary,
                new Trigger(Trigger.Kind.OPERATOR, "manual failover", "alice@example.com"), "region impaired", false,
                "orders-db (us-east-1)", null, "orders-db.example.internal", null, null, lag, "none", STEPS, warnings, T0,
                T0.plusSeconds(60), null);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            short     | orders-db              | promoted
            unicode   | bëstellungen-✓-db      | Replica befördert → neuer Writer ✓ 🚀
            newlines  | orders-db              | line one\\nline two\\r\\nline three\\tend
            long      | orders-db-with-a-name-that-goes-on-and-on-and-on | €€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€ trailing words that make the whole subject far too long
            """)
    void subjectIsShortPrintableAscii(String description, String plan, String summary) {
        String realSummary = summary.replace("\\n", "\n").replace("\\r", "\r").replace("\\t", "\t");
        for (RunState state : RunState.values()) {
            String subject = Notifier.subject(report(plan, state, realSummary, null, List.of()));
            assertAll(subject,
                    () -> assertTrue(subject.length() <= 100, "length " + subject.length()),
                    () -> assertTrue(subject.chars().allMatch(c -> c >= 0x20 && c <= 0x7e), "non-printable"),
                    () -> assertTrue(subject.startsWith("[failover] "), "prefix"),
                    () -> assertTrue(subject.contains(state.name()), "state"));
        }
    }

    @Test
    void shortSubjectIsKeptWhole() {
        assertEquals("[failover] orders-db: COMPLETED - promoted",
                Notifier.subject(report("orders-db", RunState.COMPLETED, "promoted", null, List.of())));
    }

    @Test
    void longSubjectIsCutToExactlyTheLimitWithAnEllipsis() {
        String subject = Notifier.subject(report("orders-db", RunState.FAILED, "é".repeat(200), null, List.of()));
        assertEquals("[failover] orders-db: FAILED - " + "?".repeat(66) + "...", subject);
        assertEquals(100, subject.length());
    }

    @Test
    void humanTextHasTheStepsWarningsAndFacts() {
        String text = Notifier.humanText(report("orders-db", RunState.FAILED, "promotion timed out", 3.4,
                List.of("DNS TTL is 300 s", "old primary not fenced")));
        assertAll(text,
                () -> assertTrue(text.startsWith("Failover plan orders-db, failover run run-7: FAILED\npromotion timed out\n")),
                () -> assertTrue(text.contains("Trigger: OPERATOR - manual failover (requested by alice@example.com)")),
                () -> assertTrue(text.contains("Reason: region impaired\n")),
                () -> assertTrue(text.contains("Old primary: orders-db (us-east-1)\n")),
                () -> assertFalse(text.contains("New writer:"), "no new writer"),
                () -> assertTrue(text.contains("DNS record: orders-db.example.internal\n")),
                () -> assertTrue(text.contains("Estimated data-loss window: up to 3 s")),
                () -> assertTrue(text.matches("(?s).*\n  ACQUIRE_LEASE +DONE +42 ms  lease held\n.*")),
                () -> assertTrue(text.matches("(?s).*\n  CHECK_RPO +DONE +2000 ms  replica lag 3 s\n.*")),
                () -> assertTrue(text.matches("(?s).*\n  PROMOTE_REPLICA +IN_PROGRESS +0 ms  promoting\n.*")),
                () -> assertTrue(text.contains("\nWARNINGS:\n- DNS TTL is 300 s\n- old primary not fenced\n")),
                () -> assertTrue(text.endsWith("\nVerdict: none\n")));
    }

    @Test
    void humanTextListsTheReaderChangesOfTheRun() {
        FailoverReport base = report("orders-db", RunState.COMPLETED, "failed over", null, List.of());
        FailoverReport withReaders = new FailoverReport(base.plan(), base.database(), base.kind(), base.runId(),
                base.state(), base.summary(), base.trigger(), base.reason(), base.forced(), base.oldPrimary(),
                base.newWriter(), base.dnsRecord(), "reader.example.internal",
                List.of("us-east-1: withdrawn, no reads (health alarm OK -> ALARM)"), null, "none", base.steps(),
                List.of(), base.startedAt(), base.endedAt(), null);

        String text = Notifier.humanText(withReaders);

        assertTrue(text.contains("Reader record: reader.example.internal\n- us-east-1: withdrawn, no reads "
                + "(health alarm OK -> ALARM)\n"), text);
        assertFalse(Notifier.humanText(base).contains("Reader record"), "no reader name, no reader line");
    }

    @Test
    void humanTextWithoutWarningsOrLagOmitsThem() {
        String text = Notifier.humanText(report("orders-db", RunState.COMPLETED, "done", null, List.of()));
        assertFalse(text.contains("WARNINGS"), text);
        assertFalse(text.contains("data-loss"), text);
        assertTrue(text.contains("\nSteps:\n  ACQUIRE_LEASE"), text);
    }

    @ParameterizedTest
    @CsvSource({"COMPLETED, Failover Completed", "REFUSED, Failover Refused", "FAILED, Failover Failed",
            "RUNNING, Failover Failed"})
    void detailType(RunState state, String expected) {
        assertEquals(expected, Notifier.detailType(report("orders-db", state, "x", null, List.of())));
    }
}
