package dev.regionfailover.failover;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The outcome of one run, for people and machines: the SNS notification, the EventBridge lifecycle event and the
 * handler's response all carry this document. {@code readerChanges} lists what this run changed in reader routing
 * (absent when the pair has no reader name); {@code rto} says where the run's time went.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FailoverReport(String plan, String database, RunKind kind, String runId, RunState state, String summary, Trigger trigger,
        String reason, boolean forced, String oldPrimary, String newWriter, String dnsRecord,
        String readerRecord, List<String> readerChanges,
        Double dataLossWindowSeconds, String verdict, List<StepRecord> steps, List<String> warnings,
        Instant startedAt, Instant endedAt, RtoBreakdown rto) {
}
