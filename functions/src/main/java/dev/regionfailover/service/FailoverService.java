package dev.regionfailover.service;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import dev.regionfailover.aws.Cadence;
import dev.regionfailover.aws.Errors;
import dev.regionfailover.config.DatabasePair;
import dev.regionfailover.config.FailoverConfig;
import dev.regionfailover.config.PlanPairs;
import dev.regionfailover.event.AlarmSignal;
import dev.regionfailover.event.EventBridgeEnvelope;
import dev.regionfailover.event.OperatorCommand;
import dev.regionfailover.event.RdsNotification;
import dev.regionfailover.failover.Deadline;
import dev.regionfailover.failover.FailoverRequest;
import dev.regionfailover.failover.FailoverWorkflow;
import dev.regionfailover.failover.Lifecycle;
import dev.regionfailover.failover.RunKind;
import dev.regionfailover.failover.Trigger;
import dev.regionfailover.failover.WorkflowResult;
import dev.regionfailover.handler.HandlerResponse;
import dev.regionfailover.health.HealthEvaluator;
import dev.regionfailover.health.HealthStatus;
import dev.regionfailover.health.Verdict;
import dev.regionfailover.metrics.CloudWatchGateway;
import dev.regionfailover.notify.Notifier;
import dev.regionfailover.readiness.Readiness;
import dev.regionfailover.readiness.ReadinessEvaluator;
import dev.regionfailover.store.JournalStore;

/**
 * Decides what a typed trigger leads to: record it, evaluate health, fail over, or plan a dry run. The handlers
 * parse and validate; the workflow acts; this class holds the decisions in between.
 */
@ApplicationScoped
public class FailoverService {

    private static final Logger LOG = Logger.getLogger(FailoverService.class);

    @Inject
    FailoverConfig config;

    @Inject
    HealthEvaluator health;

    @Inject
    FailoverWorkflow workflow;

    @Inject
    JournalStore journal;

    @Inject
    CloudWatchGateway cloudWatch;

    @Inject
    ReadinessEvaluator readinessEvaluator;

    @Inject
    PlanPairs planPairs;

    @Inject
    Notifier notifier;

    @Inject
    Clock clock;

    public HandlerResponse onAlarm(AlarmSignal alarm, Deadline deadline, String owner) {
        List<String> watched = config.health().watchedAlarms().orElse(List.of());
        if (!watched.contains(alarm.alarmName())) {
            return HandlerResponse.of("IGNORED", "alarm '" + alarm.alarmName() + "' is not one plan "
                    + config.plan() + " watches (watched: " + (watched.isEmpty() ? "none" : String.join(", ", watched))
                    + ")");
        }
        if (!alarm.enteredAlarm()) {
            journal.recordSignal(alarm.alarmName(), alarm.state().name(),
                    alarm.previousState() == null ? "" : alarm.previousState().name(), alarm.timestamp(),
                    clock.instant());
            return HandlerResponse.of("RECORDED", "alarm '" + alarm.alarmName() + "' went " + alarm.previousState()
                    + " -> " + alarm.state() + ": recorded, not acted on");
        }
        Optional<HandlerResponse> settled = alreadySettled();
        if (settled.isPresent()) {
            return settled.get();
        }
        Verdict verdict = health.evaluate(Optional.of(alarm), true);
        Trigger trigger = new Trigger(Trigger.Kind.ALARM, "alarm " + alarm.alarmName() + " entered ALARM ("
                + alarm.shape() + "): " + alarm.reason(), "cloudwatch");
        return actOn(verdict, trigger, deadline, owner);
    }

    /**
     * The schedule: a verdict (and a failover when it is FAILED), else a readiness evaluation. Readiness is left
     * out of a tick that fails over, so it costs the failover no time.
     */
    public HandlerResponse onSchedule(EventBridgeEnvelope tick, Deadline deadline, String owner) {
        Verdict verdict = health.evaluate(Optional.empty(), true,
                Optional.of("schedule:" + tick.id()).filter(id -> !tick.id().isBlank()));
        Trigger trigger = new Trigger(Trigger.Kind.SCHEDULE, "scheduled evaluation " + tick.id() + " at "
                + tick.time(), "schedule");
        if (verdict.status() == HealthStatus.FAILED) {
            publishMetrics(verdict, null);
            return actOn(verdict, trigger, deadline, owner);
        }
        Readiness readiness = readinessEvaluator.evaluate();
        publishMetrics(verdict, readiness);
        notifyIfRegressed(readiness);
        return actOn(verdict, trigger, deadline, owner).withReadiness(readiness);
    }

    /** Told once, on the tick readiness turns false; silent while it stays false. */
    private void notifyIfRegressed(Readiness readiness) {
        try {
            Optional<Boolean> before = journal.recordReadiness(readiness.ready(), readiness.summary(), clock.instant());
            if (!readiness.ready() && before.orElse(true)) {
                notifier.publishReadinessRegressed(readiness);
            }
        } catch (RuntimeException e) {
            LOG.warnf("could not record or notify readiness: %s", e.getMessage());
        }
    }

    /** An operator's word overrides the verdict (it is recorded as evidence) and the cooldown, never the lease. */
    public HandlerResponse onOperator(OperatorCommand command, Deadline deadline, String owner) {
        if (command.action() == OperatorCommand.Action.ACKNOWLEDGE_COOLDOWN) {
            if (command.dryRun()) {
                return HandlerResponse.of("DRY_RUN", "would end the cooldown of plan " + config.plan());
            }
            planPairs.all().forEach(pair -> journal.forPartition(pair.journalPartition()).endCooldown(clock.instant()));
            return HandlerResponse.of("ACKNOWLEDGED", "cooldown of plan " + config.plan() + " ended by "
                    + command.requestedBy() + ": automatic failover is armed again");
        }
        if (command.action() == OperatorCommand.Action.APPROVE) {
            return approve(command, deadline, owner);
        }
        Verdict verdict = health.evaluate(Optional.empty(), false);
        Trigger trigger = new Trigger(Trigger.Kind.OPERATOR, command.action().name().toLowerCase()
                + " event " + command.eventId()
                + " from " + command.source() + " in account " + command.account(), command.requestedBy());
        FailoverRequest request = new FailoverRequest(trigger, command.reason(), command.force(),
                command.action() == OperatorCommand.Action.SWITCHOVER, verdict,
                command.action() == OperatorCommand.Action.FAILBACK ? RunKind.FAILBACK : RunKind.FAILOVER);
        WorkflowResult result = command.dryRun() ? workflow.plan(request) : workflow.run(request, owner, deadline);
        return respond(result, verdict);
    }

    /**
     * An operator's Failover Approved: each named run that is under way in one of the plan's pairs and asked for
     * approval is granted it (a conditional write: requested, not expired, not granted before), and those pairs'
     * runs are resumed at once. A run that is unknown, ended, never asked, or expired is named in the answer and
     * left alone; with none granted nothing is written. The verdict is not evaluated: the run was started on its
     * own, and an approval only lets it go on.
     */
    private HandlerResponse approve(OperatorCommand command, Deadline deadline, String owner) {
        Instant now = clock.instant();
        Map<String, DatabasePair> underWay = new LinkedHashMap<>();
        for (DatabasePair pair : planPairs.all()) {
            Lifecycle.PlanState state = journal.forPartition(pair.journalPartition()).state();
            if (state.phase() == Lifecycle.Phase.RUNNING) {
                state.run().ifPresent(run -> underWay.put(run.runId(), pair));
            }
        }
        List<DatabasePair> approved = new java.util.ArrayList<>();
        List<String> notApproved = new java.util.ArrayList<>();
        for (String runId : command.runIds()) {
            DatabasePair pair = underWay.get(runId);
            if (pair == null) {
                notApproved.add(runId + ": no such run is under way in plan " + config.plan()
                        + " (unknown, or it has ended)");
                continue;
            }
            if (command.dryRun()) {
                approved.add(pair);
                continue;
            }
            JournalStore.Grant grant = journal.forPartition(pair.journalPartition()).approve(runId,
                    command.requestedBy(), now);
            switch (grant) {
                case GRANTED, ALREADY_GRANTED -> approved.add(pair);
                case NOT_REQUESTED -> notApproved.add(runId + ": it has not asked for approval (only an automatic "
                        + "failover in approval-required mode does, once its RPO check has passed)");
                case EXPIRED -> notApproved.add(runId + ": its approval request has expired; the run is closed at "
                        + "its next trigger");
            }
        }
        String refusals = notApproved.isEmpty() ? "" : "; not approved: " + String.join("; ", notApproved);
        if (approved.isEmpty()) {
            return HandlerResponse.of("NOT_APPLICABLE", "nothing was approved" + refusals);
        }
        if (command.dryRun()) {
            return HandlerResponse.of("DRY_RUN", "would approve and resume the runs of " + approved.stream()
                    .map(DatabasePair::name).toList() + refusals);
        }
        LOG.infof("%s approved %s (event %s)", command.requestedBy(), approved.stream().map(DatabasePair::name)
                .toList(), command.eventId());
        Trigger trigger = new Trigger(Trigger.Kind.APPROVAL, "approval event " + command.eventId() + " from "
                + command.source() + " in account " + command.account(), command.requestedBy());
        WorkflowResult result = workflow.run(approved, new FailoverRequest(trigger, command.reason(), false, false,
                null), owner, deadline);
        HandlerResponse response = HandlerResponse.of(result, null);
        return refusals.isEmpty() ? response : response.withReason(response.reason() + refusals);
    }

    /**
     * Aurora reports the end of a managed failover or switchover as an RDS event (RDS-EVENT-0185 switchover
     * finished, 0238 failover completed; 0186 cancelled, 0187 and 0239 failed), and the end of the global writer
     * endpoint's DNS change as RDS-EVENT-0397. Such an event resumes a run whose invocation ended before the
     * failover did: the waiting step sees the outcome and the run completes, or ends FAILED with a notification.
     * When another invocation holds a run's lease, the event is journaled under its source instead, so that the
     * run's wait (AWAIT_WRITER, REPOINT_DNS) looks at AWS at once rather than at its next poll. Every other RDS
     * event is answered and left alone.
     */
    public HandlerResponse onRdsEvent(RdsNotification event, Deadline deadline, String owner) {
        if (config.databaseKind() != FailoverConfig.DatabaseKind.AURORA_GLOBAL || !event.actedOn()) {
            return HandlerResponse.of("IGNORED", event.describe() + " does not concern a running failover of plan "
                    + config.plan());
        }
        String eventId = event.eventId().orElseThrow();
        Trigger trigger = new Trigger(Trigger.Kind.RDS_EVENT, event.describe(), "aws.rds");
        FailoverRequest request = new FailoverRequest(trigger, eventId + ": " + event.message(), false, false, null);
        WorkflowResult result = workflow.run(request, owner, deadline);
        HandlerResponse response = HandlerResponse.of(result, null);
        // Only a run another invocation holds can be waiting for it; with none, the event changes nothing at all.
        String noted = aRunIsUnderWayElsewhere(result)
                ? event.source().map(source -> note(source, eventId, event)).orElse("")
                : "";
        return noted.isEmpty() ? response : response.withReason(response.reason() + noted);
    }

    private static boolean aRunIsUnderWayElsewhere(WorkflowResult result) {
        return result.outcome() == WorkflowResult.Outcome.DUPLICATE || result.databases() != null && result
                .databases().stream().anyMatch(pair -> pair.result().outcome() == WorkflowResult.Outcome.DUPLICATE);
    }

    /**
     * Journals the event for the wait on {@code source}. A wait without it still ends at its next poll, so a
     * failed write is logged and the event goes on to resume what it can.
     */
    private String note(String source, String eventId, RdsNotification event) {
        Instant now = clock.instant();
        try {
            journal.noteRdsEvent(source, new Cadence.Told(eventId, event.occurredAt().orElse(now)), now);
            return "; " + eventId + " journaled for a wait on " + source + ", which looks at AWS within "
                    + config.timeouts().eventCheckInterval().toMillis() + " ms";
        } catch (RuntimeException e) {
            LOG.warnf("could not journal %s for a wait on %s (the wait ends at its next poll): %s", eventId, source,
                    Errors.describe(e));
            return "";
        }
    }

    /**
     * An alarm during an alarm storm: when the lifecycle already says, for every pair, that an alarm whose verdict
     * is FAILED would change nothing (a run holds the lease, or the pair has failed over), the answer needs no
     * health evaluation, and a storm of duplicates costs one read per pair.
     */
    private Optional<HandlerResponse> alreadySettled() {
        Instant now = clock.instant();
        List<Lifecycle.Decision> decisions = planPairs.all().stream()
                .map(pair -> Lifecycle.decide(journal.forPartition(pair.journalPartition()).state(),
                        Lifecycle.Order.automatic(true), now))
                .toList();
        if (decisions.stream().anyMatch(Lifecycle.Decision.Duplicate.class::isInstance) && decisions.stream()
                .allMatch(d -> d instanceof Lifecycle.Decision.Duplicate || d instanceof Lifecycle.Decision.AlreadyDone)) {
            return Optional.of(HandlerResponse.of("DUPLICATE", "a run of plan " + config.plan()
                    + " is under way; this trigger changes nothing"));
        }
        if (decisions.stream().allMatch(Lifecycle.Decision.AlreadyDone.class::isInstance)) {
            return Optional.of(HandlerResponse.of("ALREADY_DONE", "plan " + config.plan()
                    + " has already failed over; nothing to do until it is re-armed by a failback"));
        }
        return Optional.empty();
    }

    /**
     * An alarm or a tick: each pair's lifecycle decides (a run under way whose lease expired is resumed whatever
     * today's verdict; a new failover starts only on FAILED); with nothing to do, the answer is the evaluation.
     */
    private HandlerResponse actOn(Verdict verdict, Trigger trigger, Deadline deadline, String owner) {
        FailoverRequest request = new FailoverRequest(trigger, "health verdict " + verdict.status(), false, false,
                verdict);
        WorkflowResult result = workflow.run(request, owner, deadline);
        if (result.outcome() == WorkflowResult.Outcome.NO_FAILOVER) {
            return new HandlerResponse("EVALUATED", "verdict " + verdict.status() + ": no failover",
                    verdict.summary(), null);
        }
        return respond(result, verdict);
    }

    private static HandlerResponse respond(WorkflowResult result, Verdict verdict) {
        return HandlerResponse.of(result, verdict.summary());
    }

    /** Metrics are observability, not control: failing to publish them must not stop an evaluation. */
    private void publishMetrics(Verdict verdict, Readiness readiness) {
        Map<String, Double> values = new LinkedHashMap<>();
        values.put("HealthVerdict", (double) verdict.status().ordinal());
        values.put("FailingSignals", (double) verdict.failingSignals());
        values.put("ConsecutiveFailedEvaluations", (double) verdict.consecutiveFailures());
        if (readiness != null) {
            values.put("Readiness", readiness.ready() ? 1.0 : 0.0);
        }
        try {
            cloudWatch.publish(config.metricsNamespace(), config.plan(), values);
        } catch (RuntimeException e) {
            LOG.warnf("could not publish the verdict metrics: %s", e.getMessage());
        }
    }
}
