package dev.regionfailover.health;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import dev.regionfailover.aws.Errors;
import dev.regionfailover.config.DatabasePair;
import dev.regionfailover.config.FailoverConfig;
import dev.regionfailover.config.PlanPairs;
import dev.regionfailover.database.DatabaseGateway;
import dev.regionfailover.database.DatabasePairs;
import dev.regionfailover.database.DatabaseState;
import dev.regionfailover.dns.Route53HealthChecks;
import dev.regionfailover.event.AlarmSignal;
import dev.regionfailover.logs.LogContext;
import dev.regionfailover.metrics.CloudWatchGateway;
import dev.regionfailover.store.JournalStore;

/**
 * Gathers the independent signals about the primary and decides a verdict. A signal that cannot be read because
 * its API times out or errors counts as failing: an unreachable primary region is itself evidence, and an
 * evaluation must never crash on the very outage it exists to detect.
 */
@ApplicationScoped
public class HealthEvaluator {

    private static final Logger LOG = Logger.getLogger(HealthEvaluator.class);
    /** Route 53 counts a health check healthy when more than 18% of its checkers report it healthy. */
    private static final double ROUTE53_HEALTHY_FRACTION = 0.18;

    @Inject
    FailoverConfig config;

    @Inject
    DatabasePairs pairs;

    @Inject
    PlanPairs planPairs;

    @Inject
    CloudWatchGateway cloudWatch;

    @Inject
    Route53HealthChecks route53HealthChecks;

    @Inject
    JournalStore journal;

    @Inject
    Clock clock;

    /**
     * @param freshAlarm an alarm transition that arrived with the trigger: newer than what DescribeAlarms may show
     * @param persist    whether to count this evaluation in the hysteresis history (false for a dry run)
     */
    public Verdict evaluate(Optional<AlarmSignal> freshAlarm, boolean persist) {
        return evaluate(freshAlarm, persist, freshAlarm.map(HealthEvaluator::transitionId));
    }

    /**
     * One alarm transition's identity in all its shapes (the EventBridge event, the direct action and SNS carry
     * different ids, but the same alarm, state and state time), so its copies count once.
     */
    static String transitionId(AlarmSignal alarm) {
        return "alarm:" + alarm.alarmName() + ":" + alarm.state() + ":" + alarm.timestamp();
    }

    /**
     * @param eventId the triggering event's identity: a repeated one is evaluated again but not counted again
     */
    public Verdict evaluate(Optional<AlarmSignal> freshAlarm, boolean persist, Optional<String> eventId) {
        List<Signal> signals = new ArrayList<>();
        Map<String, PairReading> readings = readPairs();
        signals.add(primaryDatabases(readings));
        config.health().watchedAlarms().filter(names -> !names.isEmpty())
                .ifPresent(names -> signals.add(watchedAlarms(names, freshAlarm)));
        config.health().route53HealthCheckId().ifPresent(id -> signals.add(route53HealthCheck(id)));
        signals.add(replicaLag(readings));

        VerdictPolicy policy = new VerdictPolicy(config.health().quorum(), config.health().consecutiveFailures(),
                config.health().failedAfter());
        boolean failing = policy.isFailing(signals);
        Instant now = clock.instant();
        Duration interval = config.health().evaluationInterval();
        HealthHistory streak = persist
                ? journal.recordEvaluation(failing, failing ? "FAILING" : "PASSING", eventId, now, interval)
                : journal.healthHistory().next(failing, eventId, now, interval);
        Verdict verdict = policy.decide(signals, streak, now);
        LOG.infof("health verdict for plan %s: %s", config.plan(), verdict.summary());
        return verdict;
    }

    /** What one pair said about its primary and its lag; a failed read is kept as its description. */
    private record PairReading(DatabaseState primary, String primaryError, OptionalDouble lag, String lagError) {
    }

    /**
     * Reads every pair at once (bounded by failover.max-parallel-pairs): in an outage each read of the primary
     * region may wait out its call timeout, and a plan of many pairs must not wait for them one after another.
     */
    private Map<String, PairReading> readPairs() {
        List<DatabasePair> all = planPairs.all();
        if (all.size() == 1) {
            return Map.of(all.get(0).name(), read(all.get(0)));
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(all.size(), config.maxParallelPairs()));
        try {
            Map<String, Future<PairReading>> reading = new LinkedHashMap<>();
            all.forEach(pair -> reading.put(pair.name(), pool.submit(LogContext.carried(() -> read(pair)))));
            Map<String, PairReading> readings = new LinkedHashMap<>();
            for (Map.Entry<String, Future<PairReading>> pair : reading.entrySet()) {
                try {
                    readings.put(pair.getKey(), pair.getValue().get());
                } catch (ExecutionException e) {
                    String error = Errors.describe(e.getCause());
                    readings.put(pair.getKey(), new PairReading(null, error, OptionalDouble.empty(), error));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while evaluating health", e);
                }
            }
            return readings;
        } finally {
            pool.shutdownNow();
        }
    }

    private PairReading read(DatabasePair pair) {
        DatabaseGateway database = pairs.current(pair);
        DatabaseState primary = null;
        String primaryError = null;
        try {
            primary = database.primary();
        } catch (RuntimeException e) {
            primaryError = "describing the primary in " + config.primary().region() + " failed: " + Errors.describe(e);
        }
        OptionalDouble lag = OptionalDouble.empty();
        String lagError = null;
        try {
            lag = database.lagSeconds(config.rpo().lagWindow());
        } catch (RuntimeException e) {
            lagError = Errors.describe(e);
        }
        return new PairReading(primary, primaryError, lag, lagError);
    }

    /**
     * The primaries of the plan's pairs as one signal: failing when at least half of them are not available (for
     * a plan of one, when it is not), since the question is the primary region's health, not one database's.
     */
    private Signal primaryDatabases(Map<String, PairReading> readings) {
        String name = "primary-database";
        List<String> evidence = new ArrayList<>();
        int failing = 0;
        for (Map.Entry<String, PairReading> reading : readings.entrySet()) {
            String prefix = readings.size() > 1 ? reading.getKey() + ": " : "";
            DatabaseState primary = reading.getValue().primary();
            if (primary == null) {
                evidence.add(prefix + reading.getValue().primaryError());
                failing++;
            } else {
                // A primary that is busy (backing up, modifying, in maintenance) still serves: only a status that
                // does not serve counts against it (docs/database-states.md).
                evidence.add(prefix + primary.describe() + " is " + primary.status() + " (" + primary.serving() + ")");
                failing += primary.serving().isServing() ? 0 : 1;
            }
        }
        String text = String.join("; ", evidence);
        return failing * 2 >= readings.size() && failing > 0 ? Signal.failing(name, text) : Signal.ok(name, text);
    }

    private Signal watchedAlarms(List<String> names, Optional<AlarmSignal> freshAlarm) {
        String name = "watched-alarms";
        Optional<String> fresh = freshAlarm.filter(alarm -> alarm.state() == AlarmSignal.AlarmState.ALARM)
                .map(AlarmSignal::alarmName);
        try {
            Map<String, String> states = cloudWatch.alarmStates(config.primary().region(), names);
            List<String> inAlarm = names.stream()
                    .filter(alarm -> "ALARM".equals(states.get(alarm)) || fresh.filter(alarm::equals).isPresent())
                    .toList();
            String evidence = names.stream().map(alarm -> alarm + "=" + (fresh.filter(alarm::equals).isPresent()
                    ? "ALARM (event)" : states.getOrDefault(alarm, "MISSING")))
                    .collect(Collectors.joining(", "));
            return inAlarm.isEmpty() ? Signal.ok(name, evidence) : Signal.failing(name, evidence);
        } catch (RuntimeException e) {
            String evidence = "DescribeAlarms in " + config.primary().region() + " failed: " + Errors.describe(e);
            return Signal.failing(name, fresh.map(alarm -> alarm + "=ALARM (event); ").orElse("") + evidence);
        }
    }

    private Signal route53HealthCheck(String healthCheckId) {
        String name = "route53-health-check";
        try {
            double healthy = route53HealthChecks.healthyCheckerFraction(healthCheckId);
            String evidence = String.format("%s: %.0f%% of checkers healthy", healthCheckId, healthy * 100);
            return healthy > ROUTE53_HEALTHY_FRACTION ? Signal.ok(name, evidence) : Signal.failing(name, evidence);
        } catch (RuntimeException e) {
            return Signal.failing(name, "GetHealthCheckStatus failed: " + Errors.describe(e));
        }
    }

    /** The worst replication lag among the plan's pairs; unknown when no pair reported any. */
    private Signal replicaLag(Map<String, PairReading> readings) {
        String name = "replica-lag";
        OptionalDouble worst = OptionalDouble.empty();
        String worstPair = "";
        List<String> unreadable = new ArrayList<>();
        for (Map.Entry<String, PairReading> reading : readings.entrySet()) {
            OptionalDouble lag = reading.getValue().lag();
            if (reading.getValue().lagError() != null) {
                unreadable.add(reading.getKey() + ": " + reading.getValue().lagError());
            } else if (lag.isPresent() && (worst.isEmpty() || lag.getAsDouble() > worst.getAsDouble())) {
                worst = lag;
                worstPair = readings.size() > 1 ? " (" + reading.getKey() + ")" : "";
            }
        }
        if (worst.isEmpty()) {
            return Signal.unknown(name, unreadable.isEmpty() ? "no replication lag datapoint for the standby in the last "
                    + config.rpo().lagWindow().toMinutes() + " min"
                    : "reading the standby's lag failed: " + String.join("; ", unreadable));
        }
        String evidence = String.format("the standby%s is %.0fs behind (failure above %ds)", worstPair,
                worst.getAsDouble(), config.health().lagFailureSeconds());
        return worst.getAsDouble() > config.health().lagFailureSeconds() ? Signal.failing(name, evidence)
                : Signal.ok(name, evidence);
    }
}
