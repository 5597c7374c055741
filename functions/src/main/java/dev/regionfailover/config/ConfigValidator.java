package dev.regionfailover.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.quarkus.runtime.Startup;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Checks at start-up what a single property cannot say on its own, and stops the function with every problem
 * named by its setting, so a bad deployment fails on its first invocation instead of in the middle of a failover.
 */
@Startup
@ApplicationScoped
public class ConfigValidator {

    /** EventBridge retries a delivery for at most 24 hours; an older order can only be a replay. */
    static final Duration MAX_ORDER_AGE = Duration.ofHours(24);
    static final Duration MIN_APPROVAL_WINDOW = Duration.ofMinutes(1);
    static final Duration MAX_CLOCK_SKEW = Duration.ofMinutes(15);
    static final Duration MIN_EVENT_CHECK = Duration.ofMillis(50);

    @Inject
    FailoverConfig config;

    @Inject
    PlanPairs planPairs;

    @PostConstruct
    void validate() {
        List<String> problems = problems(config);
        try {
            // parsed (and Parameter Store read) once here, and kept for the container's life: a malformed pair,
            // or pairs that cannot be read, stop the function before it makes any other AWS call
            planPairs.all();
        } catch (IllegalArgumentException | IllegalStateException e) {
            problems.add(e.getMessage());
        }
        if (!problems.isEmpty()) {
            throw new IllegalStateException("Invalid failover configuration: " + String.join("; ", problems));
        }
    }

    static List<String> problems(FailoverConfig config) {
        List<String> problems = new ArrayList<>();
        if (config.primary().region().equals(config.standby().region())) {
            problems.add("failover.primary.region and failover.standby.region are both " + config.primary().region()
                    + "; the standby must be in another region");
        }
        switch (config.databaseKind()) {
            case RDS_INSTANCE -> {
                if (config.primary().dbInstanceId().isEmpty() || config.standby().dbInstanceId().isEmpty()) {
                    problems.add("database-kind rds-instance needs failover.primary.db-instance-id and "
                            + "failover.standby.db-instance-id");
                }
            }
            case AURORA_GLOBAL -> {
                if (config.aurora().globalClusterId().isEmpty()) {
                    problems.add("database-kind aurora-global needs failover.aurora.global-cluster-id");
                }
            }
        }
        if (config.dns().strategy() == FailoverConfig.DnsStrategy.HEALTH_CHECK_SWITCH
                && config.dns().switchAlarmName().isEmpty()) {
            problems.add("dns strategy health-check-switch needs failover.dns.switch-alarm-name");
        }
        if (config.dns().strategy() == FailoverConfig.DnsStrategy.GLOBAL_WRITER_ENDPOINT
                && config.databaseKind() != FailoverConfig.DatabaseKind.AURORA_GLOBAL) {
            // only an Aurora global database has a writer endpoint that Aurora moves across regions
            problems.add("failover.dns.strategy global-writer-endpoint needs failover.database-kind aurora-global, not "
                    + config.databaseKind().name().toLowerCase(Locale.ROOT).replace('_', '-'));
        }
        config.readers().recordName().ifPresent(reader -> {
            if (config.readers().alarmNamePrefix().filter(prefix -> !prefix.isBlank()).isEmpty()) {
                problems.add("reader routing (failover.readers.record-name) needs failover.readers.alarm-name-prefix");
            }
            if (reader.equalsIgnoreCase(config.dns().recordName())) {
                problems.add("failover.readers.record-name must differ from the writer's failover.dns.record-name");
            }
            if (config.readers().ttl() < 0 || config.readers().ttl() > 172800) {
                problems.add("failover.readers.ttl must be between 0 and 172800 seconds");
            }
        });
        int signals = signalCount(config);
        if (config.health().quorum() < 1 || config.health().quorum() > signals) {
            problems.add("failover.health.quorum is " + config.health().quorum() + " but must be between 1 and the "
                    + signals + " configured health signals");
        }
        if (config.health().consecutiveFailures() < 1) {
            problems.add("failover.health.consecutive-failures must be at least 1");
        }
        if (config.maxParallelPairs() < 1) {
            problems.add("failover.max-parallel-pairs must be at least 1");
        }
        if (config.rpo().maxLagSeconds() < 0) {
            problems.add("failover.rpo.max-lag-seconds must not be negative");
        }
        if (config.dns().ttl() < 0 || config.dns().ttl() > 172800) {
            problems.add("failover.dns.ttl must be between 0 and 172800 seconds");
        }
        if (!config.accountId().matches("\\d{12}")) {
            problems.add("failover.account-id must be a 12-digit AWS account id, not '" + config.accountId() + "'");
        }
        Duration maxOrderAge = config.operator().maxOrderAge();
        if (maxOrderAge.isNegative() || maxOrderAge.isZero() || maxOrderAge.compareTo(MAX_ORDER_AGE) > 0) {
            problems.add("failover.operator.max-order-age is " + maxOrderAge + " but must be more than 0 and at most "
                    + MAX_ORDER_AGE + " (EventBridge stops retrying an event after a day)");
        }
        Duration window = config.approval().window();
        if (window.compareTo(MIN_APPROVAL_WINDOW) < 0 || window.compareTo(MAX_ORDER_AGE) > 0) {
            problems.add("failover.approval.window is " + window + " but must be between " + MIN_APPROVAL_WINDOW
                    + " (a schedule tick apart, so that someone can answer) and " + MAX_ORDER_AGE);
        }
        Duration eventCheck = config.timeouts().eventCheckInterval();
        if (eventCheck.toMillis() < MIN_EVENT_CHECK.toMillis()) {
            problems.add("failover.timeouts.event-check-interval is " + eventCheck + " but must be at least "
                    + MIN_EVENT_CHECK + " (each check is a DynamoDB read)");
        }
        Duration skew = config.operator().clockSkew();
        if (skew.isNegative() || skew.compareTo(MAX_CLOCK_SKEW) > 0) {
            problems.add("failover.operator.clock-skew is " + skew + " but must be between 0 and " + MAX_CLOCK_SKEW);
        }
        config.planParametersPrefix().filter(prefix -> !prefix.isBlank())
                .ifPresent(prefix -> checkParameterPath(problems, "failover.plan-parameters-prefix", prefix, config));
        config.topologyParametersPrefix().filter(prefix -> !prefix.isBlank())
                .ifPresent(prefix -> checkParameterPath(problems, "failover.topology-parameters-prefix", prefix, config));
        if (!config.notification().topicArn().startsWith("arn:")) {
            problems.add("failover.notify.topic-arn is not an ARN: " + config.notification().topicArn());
        }
        return problems;
    }

    /** GetParametersByPath's and PutParameter's rules for a path, of which the plan becomes a segment. */
    private static void checkParameterPath(List<String> problems, String setting, String prefix, FailoverConfig config) {
        if (!(prefix + "/" + config.plan()).matches("(/[A-Za-z0-9_.-]+)+")
                || prefix.toLowerCase(java.util.Locale.ROOT).matches("/(aws|ssm)(/.*)?")) {
            problems.add(setting + " is '" + prefix + "' but must be a Parameter Store path such as /region-failover "
                    + "(starting with /, not ending with /, not under /aws or /ssm), and failover.plan a name "
                    + "Parameter Store allows in a path (letters, digits, _ . -)");
        }
    }

    /** Primary instance status and replica lag are always read; alarms and the Route 53 check when configured. */
    public static int signalCount(FailoverConfig config) {
        int signals = 2;
        if (config.health().watchedAlarms().map(list -> !list.isEmpty()).orElse(false)) {
            signals++;
        }
        if (config.health().route53HealthCheckId().isPresent()) {
            signals++;
        }
        return signals;
    }
}
