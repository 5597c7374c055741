package dev.regionfailover.readiness;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import dev.regionfailover.aws.AwsClients;
import dev.regionfailover.aws.Errors;
import dev.regionfailover.config.DatabasePair;
import dev.regionfailover.config.FailoverConfig;
import dev.regionfailover.config.PlanPairs;
import dev.regionfailover.database.DatabaseGateway;
import dev.regionfailover.database.DatabasePairs;
import dev.regionfailover.database.DatabaseState;
import dev.regionfailover.database.PlanTag;
import dev.regionfailover.dns.DnsGateway;
import dev.regionfailover.dns.DnsGateways;
import dev.regionfailover.dns.ReaderRecords;
import dev.regionfailover.readiness.Readiness.Check;
import dev.regionfailover.topology.TopologyPublisher;

/**
 * Would a failover work if it were needed now? Checked on the schedule, as Region switch evaluates its plans, so a
 * broken replica or a drifted DNS record is found on a quiet day and not during an outage: the replica exists and
 * replicates and is not fenced, its lag is within budget, managed failover is possible (Aurora: engine versions),
 * DNS sends clients to the primary and would send them to the replica (global-writer-endpoint: the global
 * cluster has its endpoint and the application's name is a CNAME to it, {@code dns-setup}), each region's reader
 * (when reader routing is on) reads from its own database, the published topology (when it is published) agrees
 * with AWS, and the SNS topic and the journal table exist.
 */
@ApplicationScoped
public class ReadinessEvaluator {

    private static final Logger LOG = Logger.getLogger(ReadinessEvaluator.class);

    @Inject
    FailoverConfig config;

    @Inject
    DatabasePairs pairs;

    @Inject
    DnsGateways dnsGateways;

    @Inject
    PlanPairs planPairs;

    @Inject
    AwsClients aws;

    @Inject
    TopologyPublisher topology;

    public Readiness evaluate() {
        List<Check> checks = new ArrayList<>();
        List<DatabasePair> all = planPairs.all();
        for (DatabasePair pair : all) {
            checkPair(checks, pair, all.size() > 1 ? pair.name() + ": " : "");
        }
        check(checks, "notification-topic-exists", () -> {
            aws.sns().getTopicAttributes(request -> request.topicArn(config.notification().topicArn()));
            return new Outcome<>(null, true, config.notification().topicArn());
        });
        check(checks, "journal-table-exists", () -> {
            String status = aws.dynamoDb().describeTable(request -> request.tableName(config.journalTable()))
                    .table().tableStatusAsString();
            return new Outcome<>(null, "ACTIVE".equals(status), config.journalTable() + " is " + status);
        });
        Readiness readiness = new Readiness(config.plan(), checks.stream().allMatch(Check::ok), checks,
                Instant.now());
        LOG.infof("readiness of plan %s: %s", config.plan(), readiness.summary());
        return readiness;
    }

    /** The checks of one database pair, named with {@code prefix} when the plan has several. */
    private void checkPair(List<Check> checks, DatabasePair pair, String prefix) {
        DatabaseGateway database = pairs.current(pair);
        DnsGateway dns = dnsGateways.forPair(pair);
        DatabaseState standby = check(checks, prefix + "replica-replicates", () -> {
            DatabaseState state = database.standby();
            boolean ok = state.isReplica() && state.isAvailable();
            return new Outcome<>(state, ok, state.describe() + (state.isReplica() ? " replicates from "
                    + state.replicationSource() : " is not a replica") + " (" + state.status() + ")");
        });
        if (standby != null) {
            check(checks, prefix + "standby-not-fenced", () -> {
                Optional<List<String>> fenced = database.standbyFencedFrom();
                return new Outcome<>(null, fenced.isEmpty(), fenced.isEmpty() ? standby.describe() + " is not fenced"
                        : standby.describe() + " is still fenced (it had security groups " + fenced.get()
                                + "): a failover would promote a database that admits no clients");
            });
        }
        if (standby != null && standby.isReplica()) {
            check(checks, prefix + "lag-within-budget", () -> {
                OptionalDouble lag = database.lagSeconds(config.rpo().lagWindow());
                long budget = config.rpo().maxLagSeconds();
                return new Outcome<>(null, lag.isPresent() && lag.getAsDouble() <= budget, lag.isPresent()
                        ? String.format("lag %.0fs, budget %ds", lag.getAsDouble(), budget)
                        : "no lag datapoint in the last " + config.rpo().lagWindow().toMinutes() + " min");
            });
        }
        // Aurora: only the fence goes by the tag. An additional RDS pair: its promotion too, fence or no fence.
        boolean promotedByTag = pair.kind() == FailoverConfig.DatabaseKind.RDS_INSTANCE;
        if (!pair.fenceSecurityGroupIds().isEmpty() || promotedByTag) {
            database.unfenceableDatabases().ifPresent(unfenceable -> check(checks, prefix + "fence-permitted", () ->
                    new Outcome<>(null, unfenceable.isEmpty(), unfenceable.isEmpty()
                            ? "every database of the pair carries " + PlanTag.KEY + "=" + config.plan()
                            : "not tagged " + PlanTag.KEY + "=" + config.plan() + ", so the functions may not "
                                    + (promotedByTag ? "promote or fence " : "fence ") + String.join(", ", unfenceable)
                                    + ": a failover would fail " + (promotedByTag ? "with AccessDenied"
                                            : "at the fence"))));
        }
        check(checks, prefix + "managed-failover-possible", () -> {
            List<String> problems = database.readinessProblems();
            return new Outcome<>(null, problems.isEmpty(), problems.isEmpty() ? "no obstacle found"
                    : String.join("; ", problems));
        });
        check(checks, prefix + "dns-points-at-primary", () -> {
            DatabaseState primary = database.primary();
            boolean ok = dns.sendsClientsTo(DnsGateway.Side.PRIMARY, primary.endpoint());
            return new Outcome<>(null, ok, dns.describe() + ": " + dns.currentTarget().orElse("absent")
                    + (ok ? "" : " (primary writer: " + primary.endpoint() + ")"));
        });
        if (dns.checksSetup()) {
            check(checks, prefix + "dns-setup", () -> {
                List<String> problems = dns.setupProblems();
                return new Outcome<>(null, problems.isEmpty(), dns.describe() + (problems.isEmpty()
                        ? ": the application's name follows it" : ": " + String.join("; ", problems)));
            });
        }
        dnsGateways.readersFor(pair).ifPresent(readers -> check(checks, prefix + "readers-in-both-regions", () -> {
            DatabaseState primary = database.primary();
            // read once above unless that read failed
            DatabaseState replica = standby != null ? standby : database.standby();
            List<String> drift = readers.pending(List.of(
                    ReaderRecords.Route.serve(pair.primaryRegion(), primary.readerEndpoint()),
                    ReaderRecords.Route.serve(pair.standbyRegion(), replica.readerEndpoint())));
            return new Outcome<>(null, drift.isEmpty(), readers.describe() + (drift.isEmpty()
                    ? ": each region reads from its own database"
                    : ": not each region reading from its own database; it would take " + String.join("; ", drift)));
        }));
        if (standby != null) {
            check(checks, prefix + "dns-armed-for-standby", () -> {
                boolean ok = dns.armedFor(standby.endpoint());
                return new Outcome<>(null, ok, ok ? "a failover sends clients to " + standby.endpoint()
                        : dns.describe() + " would not send clients to the standby's writer " + standby.endpoint());
            });
        }
        if (topology.enabled()) {
            check(checks, prefix + "topology-published", () -> {
                TopologyPublisher.Comparison comparison = topology.compare(pair);
                return new Outcome<>(null, comparison.agrees(), comparison.detail());
            });
        }
    }

    private record Outcome<T>(T value, boolean ok, String detail) {
    }

    /** A check that cannot even be made fails, with the reason; it never stops the other checks. */
    private static <T> T check(List<Check> checks, String name, Supplier<Outcome<T>> check) {
        try {
            Outcome<T> outcome = check.get();
            checks.add(new Check(name, outcome.ok(), outcome.detail()));
            return outcome.value();
        } catch (RuntimeException e) {
            checks.add(new Check(name, false, "could not check: " + Errors.describe(e)));
            return null;
        }
    }
}
