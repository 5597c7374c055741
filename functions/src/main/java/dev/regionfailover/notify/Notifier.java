package dev.regionfailover.notify;

import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.regionfailover.aws.AwsClients;
import dev.regionfailover.config.FailoverConfig;
import dev.regionfailover.event.RejectedEvent;
import dev.regionfailover.failover.FailoverReport;
import dev.regionfailover.failover.RunKind;
import dev.regionfailover.failover.WorkflowResult;
import dev.regionfailover.failover.StepRecord;
import dev.regionfailover.readiness.Readiness;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResponse;
import software.amazon.awssdk.services.sns.model.MessageAttributeValue;

/**
 * Tells people and machines what a run did. SNS gets one message with a per-protocol body
 * ({@code MessageStructure=json}): readable text for email and SMS, the JSON report for SQS, Lambda and HTTP
 * subscribers, plus message attributes for subscription filter policies. EventBridge gets a lifecycle event
 * ({@code source: regionfailover}, {@code detail-type: Failover Completed|Failed|Refused}) with the same report.
 */
@ApplicationScoped
public class Notifier {

    public static final String EVENT_SOURCE = "regionfailover";
    public static final String TOPOLOGY_CHANGED = "Topology Changed";
    private static final int SNS_SUBJECT_LIMIT = 100;
    private static final long SECURITY_NOTICE_INTERVAL_MS = 60_000;

    private final java.util.concurrent.atomic.AtomicLong lastSecurityNotice = new java.util.concurrent.atomic.AtomicLong(
            Long.MIN_VALUE / 2);

    @Inject
    AwsClients aws;

    @Inject
    FailoverConfig config;

    @Inject
    ObjectMapper mapper;

    public void publish(FailoverReport report) {
        String json = toJson(report);
        publishToTopic(subject(report), humanText(report), report.summary(), json, Map.of(
                "plan", attribute(report.plan()),
                "state", attribute(report.state().name()),
                "runId", attribute(report.runId())));
        putEvent(detailType(report), json);
    }

    /**
     * The summary of a plan of several database pairs: each pair's outcome (each pair's run has already sent its
     * own report). EventBridge detail-type {@code Failover Plan Completed|Failed|...}.
     */
    public void publishPlanSummary(String plan, RunKind kind, WorkflowResult summary) {
        String json = toJson(Map.of("plan", plan, "kind", kind.name(), "outcome", summary.outcome().name(),
                "summary", summary.reason(), "databases", summary.databases().stream().map(pair -> Map.of(
                        "database", pair.database(), "outcome", pair.result().outcome().name(),
                        "reason", pair.result().reason(),
                        "runId", pair.result().report() == null ? "" : pair.result().report().runId())).toList()));
        String text = "Plan " + plan + ": " + kind.name().toLowerCase() + " " + summary.outcome() + "\n\n"
                + summary.databases().stream().map(pair -> String.format("  %-20s %-14s %s", pair.database(),
                        pair.result().outcome(), pair.result().reason())).collect(Collectors.joining("\n")) + "\n";
        String phase = kind == RunKind.FAILBACK ? "Failback" : "Failover";
        publishToTopic(asciiSubject("[failover] " + plan + ": " + phase.toLowerCase() + " of " + summary.databases().size()
                + " databases " + summary.outcome()), text, summary.reason(), json,
                Map.of("plan", attribute(plan), "state", attribute(summary.outcome().name())));
        putEvent(phase + " Plan " + (summary.outcome() == WorkflowResult.Outcome.COMPLETED ? "Completed"
                : summary.outcome() == WorkflowResult.Outcome.FAILED ? "Failed" : "Ended"), json);
    }

    /**
     * The published topology of a pair changed: its writer or its standby moved, or was published for the first
     * time (TopologyPublisher). EventBridge only ({@code detail-type: Topology Changed}): it is for machines, and
     * the run that moved the writer has already told people.
     */
    public void publishTopologyChanged(String json) {
        putEvent(TOPOLOGY_CHANGED, json);
    }

    /**
     * An automatic failover (approval-required) waits for a human's yes: the report so far (its verdict, its RPO
     * check), the run to name, and the order that approves it. Told once per run. EventBridge {@code detail-type:
     * Failover Approval Requested}, so that a chat bot or a ticketing rule can carry it to the people on call.
     */
    public void publishApprovalRequest(FailoverReport report, java.time.Instant expiresAt) {
        String json = toJson(Map.of("report", report, "runId", report.runId(), "expiresAt", expiresAt.toString(),
                "approveWith", Map.of("detail-type", "Failover Approved", "source", config.operator()
                        .allowedSources().get(0), "detail", Map.of("runId", report.runId(), "reason", "..."))));
        String text = "Failover plan " + report.plan() + " (" + report.database() + ") found the primary region "
                + "FAILED and is ready to fail over, but waits for approval (approval-required).\n\n"
                + "  run:      " + report.runId() + "\n"
                + "  verdict:  " + report.verdict() + "\n"
                + "  expires:  " + expiresAt + " (unanswered, the run is closed and nothing is changed)\n\n"
                + "Nothing has been changed yet. To approve, put on the operator bus an event with detail-type "
                + "\"Failover Approved\" and detail {\"runId\": \"" + report.runId() + "\", \"reason\": \"...\"} "
                + "(events/put-events/failover-approved.json).\n\n" + humanText(report);
        publishToTopic(asciiSubject("[failover] " + report.plan() + ": APPROVAL NEEDED to fail over " + report.database()
                + " (run " + report.runId() + ")"), text, "Approval needed: failover of " + report.database()
                        + ", run " + report.runId() + ", until " + expiresAt, json,
                Map.of("plan", attribute(report.plan()), "state", attribute("AWAITING_APPROVAL"),
                        "runId", attribute(report.runId())));
        putEvent("Failover Approval Requested", json);
    }

    /** Anti-flapping: a failover was wanted within the cooldown and not carried out. Told once per cooldown. */
    public void publishCooldownRefusal(String plan, String database, String why) {
        String json = toJson(Map.of("plan", plan, "database", database, "outcome", "COOLING_DOWN", "reason", why));
        publishToTopic(asciiSubject("[failover] " + plan + ": failover wanted during the cooldown, NOT carried out"),
                why + "\n", why, json, Map.of("plan", attribute(plan), "state", attribute("COOLING_DOWN")));
        putEvent("Failover Suppressed By Cooldown", json);
    }

    /**
     * Someone sent an operator event that may not command a failover: from a source, account or path that is not
     * allowed, or too old (or dated in the future) to be a decision someone stands by now. Told to people and to
     * EventBridge ({@code Unauthorised Operator Event}, {@code Stale Operator Event}); at most one a minute per
     * container, so a flood of forged or replayed events cannot become a flood of messages (each refusal is logged
     * regardless).
     */
    public void publishRefusedOrder(RejectedEvent.Kind kind, String reason) {
        long now = System.currentTimeMillis();
        long last = lastSecurityNotice.get();
        if (now - last < SECURITY_NOTICE_INTERVAL_MS || !lastSecurityNotice.compareAndSet(last, now)) {
            return;
        }
        String json = toJson(Map.of("plan", config.plan(), "outcome", "REJECTED", "kind", kind.name(),
                "reason", reason));
        publishToTopic(asciiSubject("[failover] " + config.plan() + ": " + kind + " operator event refused"),
                "An operator event was refused (" + kind + "): " + reason + "\nNo AWS resource was changed.\n", reason,
                json, Map.of("plan", attribute(config.plan()), "state", attribute(kind.name())));
        putEvent(kind == RejectedEvent.Kind.STALE ? "Stale Operator Event" : "Unauthorised Operator Event", json);
    }

    /** Readiness regressed: a failover needed now would not work. Same channels, its own detail-type. */
    public void publishReadinessRegressed(Readiness readiness) {
        String json = toJson(readiness);
        String text = "Failover plan " + readiness.plan() + " is no longer ready for a failover.\n\n"
                + readiness.checks().stream().map(c -> String.format("  %-26s %-4s %s", c.name(), c.ok() ? "ok" : "FAIL",
                        c.detail())).collect(Collectors.joining("\n")) + "\n";
        publishToTopic(asciiSubject("[failover] " + readiness.plan() + ": readiness REGRESSED - " + readiness.summary()),
                text, readiness.summary(), json,
                Map.of("plan", attribute(readiness.plan()), "state", attribute("NOT_READY")));
        putEvent("Readiness Regressed", json);
    }

    /** One SNS message, a body per protocol: text for people, the JSON document for machines. */
    private void publishToTopic(String subject, String text, String sms, String json,
            Map<String, MessageAttributeValue> attributes) {
        Map<String, String> bodies = new LinkedHashMap<>();
        bodies.put("default", text);
        bodies.put("email", text);
        bodies.put("sms", sms);
        bodies.put("sqs", json);
        bodies.put("lambda", json);
        bodies.put("http", json);
        bodies.put("https", json);
        aws.sns().publish(request -> request.topicArn(config.notification().topicArn())
                .subject(subject)
                .messageStructure("json")
                .message(toJson(bodies))
                .messageAttributes(attributes));
    }

    private void putEvent(String detailType, String json) {
        PutEventsResponse response = aws.eventBridge().putEvents(request -> request.entries(PutEventsRequestEntry.builder()
                .eventBusName(config.notification().eventBus())
                .source(EVENT_SOURCE)
                .detailType(detailType)
                .detail(json)
                .build()));
        if (response.failedEntryCount() != null && response.failedEntryCount() > 0) {
            throw new IllegalStateException("EventBridge refused the " + detailType + " event: "
                    + response.entries().get(0).errorCode() + " " + response.entries().get(0).errorMessage());
        }
    }

    public static String detailType(FailoverReport report) {
        String kind = report.kind() == RunKind.FAILBACK ? "Failback" : "Failover";
        return switch (report.state()) {
            case COMPLETED -> kind + " Completed";
            case REFUSED -> kind + " Refused";
            case FAILED, RUNNING -> kind + " Failed";
        };
    }

    /** SNS subjects are at most 100 ASCII characters with no line breaks. */
    static String subject(FailoverReport report) {
        return asciiSubject("[failover] " + report.plan() + ": " + report.state() + " - " + report.summary());
    }

    private static String asciiSubject(String text) {
        String subject = text.replaceAll("[^\\x20-\\x7E]", "?");
        return subject.length() <= SNS_SUBJECT_LIMIT ? subject : subject.substring(0, SNS_SUBJECT_LIMIT - 3) + "...";
    }

    static String humanText(FailoverReport report) {
        StringBuilder text = new StringBuilder();
        text.append("Failover plan ").append(report.plan()).append(", ").append(report.kind().name().toLowerCase())
                .append(" run ").append(report.runId()).append(": ")
                .append(report.state()).append('\n').append(report.summary()).append("\n\n");
        text.append("Trigger: ").append(report.trigger().kind()).append(" - ").append(report.trigger().description())
                .append(" (requested by ").append(report.trigger().requestedBy()).append(")\n");
        text.append("Reason: ").append(report.reason()).append('\n');
        text.append("Old primary: ").append(report.oldPrimary()).append('\n');
        if (report.newWriter() != null) {
            text.append("New writer: ").append(report.newWriter()).append('\n');
        }
        text.append("DNS record: ").append(report.dnsRecord()).append('\n');
        if (report.readerRecord() != null) {
            text.append("Reader record: ").append(report.readerRecord()).append(report.readerChanges() == null
                    || report.readerChanges().isEmpty() ? " (unchanged by this run)\n"
                            : "\n- " + String.join("\n- ", report.readerChanges()) + "\n");
        }
        if (report.dataLossWindowSeconds() != null) {
            text.append(String.format("Estimated data-loss window: up to %.0f s (replica lag at promotion)%n",
                    report.dataLossWindowSeconds()));
        }
        if (report.rto() != null && report.rto().describe() != null) {
            text.append("Recovery time: ").append(report.rto().describe()).append('\n');
        }
        text.append("\nSteps:\n").append(report.steps().stream().map(Notifier::line)
                .collect(Collectors.joining("\n"))).append('\n');
        if (!report.warnings().isEmpty()) {
            text.append("\nWARNINGS:\n- ").append(String.join("\n- ", report.warnings())).append('\n');
        }
        text.append("\nVerdict: ").append(report.verdict()).append('\n');
        return text.toString();
    }

    private static String line(StepRecord step) {
        return String.format("  %-18s %-12s %7d ms  %s", step.name(), step.status(), step.durationMillis(),
                step.detail());
    }

    private static MessageAttributeValue attribute(String value) {
        return MessageAttributeValue.builder().dataType("String").stringValue(value).build();
    }

    private String toJson(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the notification as JSON", e);
        }
    }
}
