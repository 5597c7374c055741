package dev.regionfailover.health;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import dev.regionfailover.aws.Errors;
import dev.regionfailover.config.FailoverConfig;
import dev.regionfailover.database.DatabaseGateway;
import dev.regionfailover.database.DatabasePairs;
import dev.regionfailover.database.DatabaseState;
import dev.regionfailover.dns.Route53HealthChecks;
import dev.regionfailover.event.AlarmSignal;
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
    CloudWatchGateway cloudWatch;

    @Inject
    Route53HealthChecks route53HealthChecks;

    @Inject
    JournalStore journal;

    /**
     * @param freshAlarm an alarm transition that arrived with the trigger: newer than what DescribeAlarms may show
     * @param persist    whether to count this evaluation in the hysteresis history (false for a dry run)
     */
    public Verdict evaluate(Optional<AlarmSignal> freshAlarm, boolean persist) {
        List<Signal> signals = new ArrayList<>();
        DatabaseGateway database = pairs.current();
        signals.add(primaryDatabase(database));
        config.health().watchedAlarms().filter(names -> !names.isEmpty())
                .ifPresent(names -> signals.add(watchedAlarms(names, freshAlarm)));
        config.health().route53HealthCheckId().ifPresent(id -> signals.add(route53HealthCheck(id)));
        signals.add(replicaLag(database));

        VerdictPolicy policy = new VerdictPolicy(config.health().quorum(), config.health().consecutiveFailures());
        boolean failing = policy.isFailing(signals);
        int consecutive;
        if (persist) {
            consecutive = journal.recordEvaluation(failing, policy.decide(signals, 0).status().name(), Instant.now());
        } else {
            consecutive = failing ? journal.consecutiveFailures() + 1 : 0;
        }
        Verdict verdict = policy.decide(signals, consecutive);
        LOG.infof("health verdict for plan %s: %s", config.plan(), verdict.summary());
        return verdict;
    }

    private Signal primaryDatabase(DatabaseGateway database) {
        String name = "primary-database";
        try {
            DatabaseState primary = database.primary();
            String evidence = primary.describe() + " is " + primary.status();
            return primary.isAvailable() ? Signal.ok(name, evidence) : Signal.failing(name, evidence);
        } catch (RuntimeException e) {
            return Signal.failing(name, "describing the primary in " + config.primary().region() + " failed: "
                    + Errors.describe(e));
        }
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

    private Signal replicaLag(DatabaseGateway database) {
        String name = "replica-lag";
        try {
            OptionalDouble lag = database.lagSeconds(config.rpo().lagWindow());
            if (lag.isEmpty()) {
                return Signal.unknown(name, "no replication lag datapoint for the standby in the last "
                        + config.rpo().lagWindow().toMinutes() + " min");
            }
            String evidence = String.format("the standby is %.0fs behind (failure above %ds)", lag.getAsDouble(),
                    config.health().lagFailureSeconds());
            return lag.getAsDouble() > config.health().lagFailureSeconds() ? Signal.failing(name, evidence)
                    : Signal.ok(name, evidence);
        } catch (RuntimeException e) {
            return Signal.unknown(name, "reading the standby's lag failed: " + Errors.describe(e));
        }
    }
}
