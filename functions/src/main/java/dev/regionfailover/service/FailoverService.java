package dev.regionfailover.service;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import dev.regionfailover.config.FailoverConfig;
import dev.regionfailover.config.PlanPairs;
import dev.regionfailover.event.AlarmSignal;
import dev.regionfailover.event.EventBridgeEnvelope;
import dev.regionfailover.event.OperatorCommand;
import dev.regionfailover.event.RdsNotification;
import dev.regionfailover.failover.Deadline;
import dev.regionfailover.failover.FailoverRequest;
import dev.regionfailover.failover.FailoverWorkflow;
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
                    Instant.now());
            return HandlerResponse.of("RECORDED", "alarm '" + alarm.alarmName() + "' went " + alarm.previousState()
                    + " -> " + alarm.state() + ": recorded, not acted on");
        }
        List<JournalStore.Phase> phases = phases();
        Optional<HandlerResponse> settled = alreadySettled(phases);
        if (settled.isPresent()) {
            return settled.get();
        }
        Verdict verdict = health.evaluate(Optional.of(alarm), true);
        Trigger trigger = new Trigger(Trigger.Kind.ALARM, "alarm " + alarm.alarmName() + " entered ALARM ("
                + alarm.shape() + "): " + alarm.reason(), "cloudwatch");
        return actOn(verdict, trigger, deadline, owner, phases);
    }

    /**
     * The schedule: a verdict (and a failover when it is FAILED), else a readiness evaluation. Readiness is left
     * out of a tick that fails over, so it costs the failover no time.
     */
    public HandlerResponse onSchedule(EventBridgeEnvelope tick, Deadline deadline, String owner) {
        Verdict verdict = health.evaluate(Optional.empty(), true);
        Trigger trigger = new Trigger(Trigger.Kind.SCHEDULE, "scheduled evaluation " + tick.id() + " at "
                + tick.time(), "schedule");
        if (verdict.status() == HealthStatus.FAILED) {
            publishMetrics(verdict, null);
            return actOn(verdict, trigger, deadline, owner, phases());
        }
        Readiness readiness = readinessEvaluator.evaluate();
        publishMetrics(verdict, readiness);
        notifyIfRegressed(readiness);
        return actOn(verdict, trigger, deadline, owner, phases()).withReadiness(readiness);
    }

    /** Told once, on the tick readiness turns false; silent while it stays false. */
    private void notifyIfRegressed(Readiness readiness) {
        try {
            Optional<Boolean> before = journal.recordReadiness(readiness.ready(), readiness.summary(), Instant.now());
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
            planPairs.all().forEach(pair -> journal.forPartition(pair.journalPartition()).endCooldown(Instant.now()));
            return HandlerResponse.of("ACKNOWLEDGED", "cooldown of plan " + config.plan() + " ended by "
                    + command.requestedBy() + ": automatic failover is armed again");
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
     * Aurora reports the end of a managed failover or switchover as an RDS event (RDS-EVENT-0185 switchover
     * finished, 0238 failover completed; 0186 cancelled, 0187 and 0239 failed). Such an event resumes a run whose
     * invocation ended before the failover did: the waiting step then sees the outcome and the run completes, or
     * ends FAILED with a notification. Every other RDS event is answered and left alone.
     */
    public HandlerResponse onRdsEvent(RdsNotification event, Deadline deadline, String owner) {
        if (config.databaseKind() != FailoverConfig.DatabaseKind.AURORA_GLOBAL
                || event.eventId().filter(RdsNotification.GLOBAL_FAILOVER_OUTCOMES::contains).isEmpty()) {
            return HandlerResponse.of("IGNORED", event.describe() + " does not concern a running failover of plan "
                    + config.plan());
        }
        Trigger trigger = new Trigger(Trigger.Kind.RDS_EVENT, event.describe(), "aws.rds");
        FailoverRequest request = new FailoverRequest(trigger, event.eventId().orElseThrow() + ": " + event.message(),
                false, false, null);
        return HandlerResponse.of(workflow.run(request, owner, deadline), null);
    }

    /**
     * An alarm during an alarm storm: when every pair of the plan has already failed over, or one is failing over
     * now, the answer needs no health evaluation, and a storm of duplicates costs one read each.
     */
    private Optional<HandlerResponse> alreadySettled(List<JournalStore.Phase> phases) {
        if (phases.contains(JournalStore.Phase.RUNNING)) {
            return Optional.of(HandlerResponse.of("DUPLICATE", "a failover of plan " + config.plan()
                    + " is under way; this trigger changes nothing"));
        }
        if (phases.stream().allMatch(JournalStore.Phase.COMPLETED::equals)) {
            return Optional.of(HandlerResponse.of("ALREADY_DONE", "plan " + config.plan()
                    + " has already failed over; nothing to do until it is re-armed by a failback"));
        }
        return Optional.empty();
    }

    /** Where each pair of the plan stands: one read per pair, made once per trigger. */
    private List<JournalStore.Phase> phases() {
        Instant now = Instant.now();
        return planPairs.all().stream().map(pair -> journal.forPartition(pair.journalPartition()).phase(now))
                .toList();
    }

    private HandlerResponse actOn(Verdict verdict, Trigger trigger, Deadline deadline, String owner,
            List<JournalStore.Phase> phases) {
        if (phases.contains(JournalStore.Phase.RUNNING_EXPIRED)) {
            // A run that stopped early (a timeout, a crash, a pause) is finished whatever today's verdict says.
            FailoverRequest resume = new FailoverRequest(trigger, "resuming an interrupted run", false, false, verdict);
            return respond(workflow.run(resume, owner, deadline), verdict);
        }
        if (verdict.status() != HealthStatus.FAILED) {
            return new HandlerResponse("EVALUATED", "verdict " + verdict.status() + ": no failover",
                    verdict.summary(), null);
        }
        FailoverRequest request = new FailoverRequest(trigger, "health verdict FAILED", false, false, verdict);
        return respond(workflow.run(request, owner, deadline), verdict);
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
