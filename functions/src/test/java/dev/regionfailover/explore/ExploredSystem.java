package dev.regionfailover.explore;

import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.regionfailover.config.DatabasePair;
import dev.regionfailover.config.FailoverConfig;
import dev.regionfailover.config.PlanPairs;
import dev.regionfailover.database.DatabaseGateway;
import dev.regionfailover.database.DatabasePairs;
import dev.regionfailover.dns.DnsGateway;
import dev.regionfailover.dns.DnsGateways;
import dev.regionfailover.dns.ReaderRecords;
import dev.regionfailover.event.RejectedEvent;
import dev.regionfailover.event.TriggerTrust;
import dev.regionfailover.failover.FailoverReport;
import dev.regionfailover.failover.FailoverWorkflow;
import dev.regionfailover.failover.RetryPause;
import dev.regionfailover.failover.RunKind;
import dev.regionfailover.failover.StepBoundaries;
import dev.regionfailover.failover.StepName;
import dev.regionfailover.failover.WorkflowResult;
import dev.regionfailover.health.HealthEvaluator;
import dev.regionfailover.metrics.CloudWatchGateway;
import dev.regionfailover.notify.Notifier;
import dev.regionfailover.readiness.Readiness;
import dev.regionfailover.readiness.ReadinessEvaluator;
import dev.regionfailover.topology.TopologyPublisher;
import dev.regionfailover.service.FailoverService;
import dev.regionfailover.store.JournalStore;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

/**
 * The product's own decision path (FailoverService, HealthEvaluator, FailoverWorkflow, Lifecycle, HealthHistory,
 * PlanPairs and the real configuration mapping, with its defaults), wired by hand the way ArC wires it, over
 * in-memory fakes of our gateways: {@link FakeRdsPair} (an RDS instance pair) or {@link FakeAuroraPair} (an Aurora
 * global database), {@link FakeDns}, {@link InMemoryJournal}, and CloudWatch, notification and readiness gateways
 * that read and record {@link FakeAws}. Time is virtual.
 *
 * <p>An RDS plan may have several pairs ({@link #PAIRS}: the plan's own, then {@code failover.additional-databases}),
 * each with its instances in both regions, its own record, journal partition and mode. The product runs a plan's
 * pairs on a thread pool of {@code failover.max-parallel-pairs}; the fakes are one world on one virtual clock, so
 * the explored plan sets it to 1: its pairs run one after another on the pool's one thread (submitted in plan
 * order, each handed over through its Future), the same histories every run, and what a shrunk one replays.
 */
final class ExploredSystem {

    static final String PLAN = "orders-db";
    static final String PRIMARY_ID = "db";
    static final String STANDBY_ID = "db-replica";
    static final String GLOBAL_ID = "orders-global";
    static final String PRIMARY_CLUSTER_ID = "db-cluster";
    static final String STANDBY_CLUSTER_ID = "db-cluster-west";
    static final List<String> WATCHED_ALARMS = List.of("db-availability", "db-write-latency");
    static final String ACCOUNT = "111122223333";
    static final Instant EPOCH = Instant.parse("2026-12-02T03:00:00Z");

    /** One RDS pair of the explored plan: its instances at generation 0, and the record its clients use. */
    record PairSpec(String name, String primaryId, String standbyId, String recordName) {
    }

    /** The plan's own pair (the top-level settings), then the additional ones an evacuation adds. */
    static final List<PairSpec> PAIRS = List.of(
            new PairSpec(PLAN, PRIMARY_ID, STANDBY_ID, "db.example.internal"),
            new PairSpec("inventory", "inventory-db", "inventory-db-replica", "inventory-db.example.internal"),
            new PairSpec("billing", "billing-db", "billing-db-replica", "billing-db.example.internal"));

    /** A notification sent, as the SNS topic and EventBridge would carry it. */
    record Notice(String kind, FailoverReport report, String text, Instant at) {
    }

    /** A Lambda killed at a step boundary, as a timeout or crash would: nothing after it runs. */
    static final class Killed extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Killed(StepName at) {
            super("killed after " + at);
        }

        /** What a dead Lambda's other threads meet: they do nothing more. */
        Killed() {
            super("the invocation was killed");
        }
    }

    final VirtualClock clock = new VirtualClock(EPOCH);
    final FailoverConfig.DatabaseKind kind;
    final FakeAws aws;
    final FailoverConfig config;
    final InMemoryJournal journal;
    final FailoverService service = new FailoverService();
    /** The handlers' gate in front of the service. */
    final TriggerTrust trust;
    final List<Notice> notices = new ArrayList<>();
    /** The step after which the next invocation is killed, if any. */
    StepName killAfter;
    /**
     * The current invocation was killed: whatever of it still runs (the plan's other pairs, on the pool's thread;
     * its summary) calls nothing, journals nothing and notifies nothing, as a dead Lambda does.
     */
    boolean dead;
    /** The explored plan's pairs, in plan order. */
    final List<PairSpec> pairs;
    private final PlanPairs planPairs = new PlanPairs();
    private Notifier notifier;

    ExploredSystem(long seed, FailoverConfig.DatabaseKind kind, FailoverConfig.FailoverMode mode,
            double lagSeconds) {
        this(seed, kind, List.of(mode), List.of(lagSeconds));
    }

    /**
     * A plan of {@code modes.size()} pairs (more than one: RDS only), the first {@code modes.size()} of
     * {@link #PAIRS}: the first pair's mode is the plan's, each other pair's is its own {@code failoverMode}.
     */
    ExploredSystem(long seed, FailoverConfig.DatabaseKind kind, List<FailoverConfig.FailoverMode> modes,
            List<Double> lags) {
        this(seed, kind, modes, lags, FailoverConfig.ApprovalMode.AUTOMATIC);
    }

    /** The same, with automatic failovers that wait for approval (approval-required) or not. */
    ExploredSystem(long seed, FailoverConfig.DatabaseKind kind, List<FailoverConfig.FailoverMode> modes,
            List<Double> lags, FailoverConfig.ApprovalMode approval) {
        if (modes.size() != lags.size() || modes.isEmpty() || modes.size() > PAIRS.size()
                || (modes.size() > 1 && kind != FailoverConfig.DatabaseKind.RDS_INSTANCE)) {
            throw new IllegalArgumentException("an explored plan has 1 pair, or up to " + PAIRS.size()
                    + " RDS pairs; not " + modes.size() + " " + kind + " with " + lags.size() + " lags");
        }
        this.kind = kind;
        pairs = PAIRS.subList(0, modes.size());
        aws = new FakeAws(clock, seed);
        aws.liveness = this::alive;
        for (int i = 0; i < pairs.size(); i++) {
            FakeAws.Database primary;
            FakeAws.Database standby;
            if (kind == FailoverConfig.DatabaseKind.AURORA_GLOBAL) {
                FakeAws.GlobalCluster global = aws.addGlobal(GLOBAL_ID, PRIMARY_CLUSTER_ID, FakeAws.PRIMARY_REGION,
                        STANDBY_CLUSTER_ID, FakeAws.STANDBY_REGION);
                primary = global.members.get(0);
                standby = global.members.get(1);
            } else {
                PairSpec pair = pairs.get(i);
                primary = aws.add(pair.name(), pair.primaryId(), FakeAws.PRIMARY_REGION, null);
                standby = aws.add(pair.name(), pair.standbyId(), FakeAws.STANDBY_REGION, pair.primaryId());
            }
            standby.lagSeconds = lags.get(i);
            aws.writerNames.put(pairs.get(i).name(), primary.endpoint());
        }
        WATCHED_ALARMS.forEach(alarm -> aws.alarms.put(alarm, "OK"));
        config = config(kind, modes, approval);
        journal = new InMemoryJournal(PLAN, config.timeouts().lease(), config.cooldown());
        wire();
        trust = new TriggerTrust(config, planPairs.all());
    }

    /** The pair's journal partition (the plan's own for its first pair, as PlanPairs names them). */
    InMemoryJournal journalOf(int pair) {
        return (InMemoryJournal) journal.forPartition(planPairs.all().get(pair).journalPartition());
    }

    /** Thrown at every call of a killed invocation: see {@link #dead}. */
    void alive() {
        if (dead) {
            throw new Killed();
        }
    }

    /** The real mapping with its defaults; only what a deployment must set is set, plus the waits (see below). */
    private static FailoverConfig config(FailoverConfig.DatabaseKind kind, List<FailoverConfig.FailoverMode> modes,
            FailoverConfig.ApprovalMode approval) {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("failover.approval.mode", approval.name().toLowerCase().replace('_', '-'));
        values.put("failover.plan", PLAN);
        values.put("failover.primary.region", FakeAws.PRIMARY_REGION);
        values.put("failover.standby.region", FakeAws.STANDBY_REGION);
        if (kind == FailoverConfig.DatabaseKind.AURORA_GLOBAL) {
            // an Aurora pair names its global database; its members and their roles are discovered
            values.put("failover.database-kind", "aurora-global");
            values.put("failover.aurora.global-cluster-id", GLOBAL_ID);
        } else {
            values.put("failover.primary.db-instance-id", PRIMARY_ID);
            values.put("failover.standby.db-instance-id", STANDBY_ID);
        }
        values.put("failover.fence.security-group-ids", String.join(",", FakeAws.FENCE_GROUPS));
        values.put("failover.dns.hosted-zone-id", "Z0EXPLORED");
        values.put("failover.dns.record-name", "db.example.internal");
        values.put("failover.health.watched-alarms", String.join(",", WATCHED_ALARMS));
        values.put("failover.journal-table", "journal");
        values.put("failover.notify.topic-arn", "arn:aws:sns:us-west-2:" + ACCOUNT + ":failover");
        values.put("failover.operator.allowed-accounts", ACCOUNT);
        values.put("failover.account-id", ACCOUNT);
        // the force bus: forced orders are admitted (while fresh), so the histories explore forced runs too
        values.put("failover.operator.path", "force-bus");
        values.put("failover.mode", spelled(modes.get(0)));
        if (modes.size() > 1) {
            StringBuilder additional = new StringBuilder("[");
            for (int i = 1; i < modes.size(); i++) {
                PairSpec pair = PAIRS.get(i);
                additional.append(i > 1 ? "," : "").append(String.format("{\"name\": \"%s\", "
                        + "\"primaryDbInstanceId\": \"%s\", \"standbyDbInstanceId\": \"%s\", \"recordName\": \"%s\", "
                        + "\"failoverMode\": \"%s\"}", pair.name(), pair.primaryId(), pair.standbyId(),
                        pair.recordName(), spelled(modes.get(i))));
            }
            values.put("failover.additional-databases", additional.append(']').toString());
            // one pair at a time: see the class comment
            values.put("failover.max-parallel-pairs", "1");
        }
        // The SDK waiters sleep their poll interval in real time. Here each poll of a fake takes FakeAws.POLL of
        // virtual time instead, so the waiters poll every millisecond (the SDK's fixed delay must be positive), and
        // end on the world's clock (Polling.until) at the default bounds; the invocation's deadline is virtual too
        // (Deadline.after(remaining, clock)).
        values.put("failover.timeouts.poll-interval", "PT0.001S");
        SmallRyeConfig built = new SmallRyeConfigBuilder().withMapping(FailoverConfig.class)
                .withDefaultValues(values).build();
        return built.getConfigMapping(FailoverConfig.class);
    }

    private static String spelled(FailoverConfig.FailoverMode mode) {
        return mode.name().toLowerCase().replace('_', '-');
    }

    private void wire() {
        ObjectMapper mapper = new ObjectMapper();
        set(planPairs, "config", config);
        set(planPairs, "mapper", mapper);
        DatabasePairs pairs = new DatabasePairs() {
            @Override
            public DatabaseGateway current(DatabasePair pair) {
                return at(pair, journal.forPartition(pair.journalPartition()).state().generation());
            }

            @Override
            public DatabaseGateway at(DatabasePair pair, int generation) {
                return pairAt(indexOf(pair), generation);
            }

            @Override
            public DatabaseGateway next(DatabasePair pair, int generation) {
                return pairAt(indexOf(pair), generation + 1);
            }
        };
        Map<String, FakeDns> names = new LinkedHashMap<>();
        for (DatabasePair pair : planPairs.all()) {
            names.put(pair.name(), new FakeDns(aws, pair.name(), pair.dns().recordName()));
        }
        DnsGateways dnsGateways = new DnsGateways() {
            @Override
            public DnsGateway forPair(DatabasePair pair) {
                return names.get(pair.name());
            }

            @Override
            public Optional<ReaderRecords> readersFor(DatabasePair pair) {
                return Optional.empty();
            }
        };
        CloudWatchGateway cloudWatch = new CloudWatchGateway() {
            @Override
            public Map<String, String> alarmStates(String region, Collection<String> alarmNames) {
                return aws.alarmStates(region);
            }

            @Override
            public OptionalDouble latestValue(String region, String metricName, String dimension, String resourceId,
                    Duration window) {
                return aws.lag(region, resourceId);
            }

            @Override
            public void publish(String namespace, String plan, Map<String, Double> values) {
                // metrics are observability: nothing an invariant reads
            }
        };
        notifier = new Notifier() {
            @Override
            public void publish(FailoverReport report) {
                alive();
                notices.add(new Notice("outcome", report, report.summary(), clock.instant()));
            }

            @Override
            public void publishPlanSummary(String plan, RunKind kind, WorkflowResult summary) {
                alive();
                notices.add(new Notice("summary", null, summary.reason(), clock.instant()));
            }

            @Override
            public void publishCooldownRefusal(String plan, String database, String why) {
                alive();
                notices.add(new Notice("cooldown", null, why, clock.instant()));
            }

            @Override
            public void publishRefusedOrder(RejectedEvent.Kind kind, String reason) {
                alive();
                notices.add(new Notice("refused " + kind, null, reason, clock.instant()));
            }

            @Override
            public void publishReadinessRegressed(Readiness readiness) {
                alive();
                notices.add(new Notice("readiness", null, readiness.summary(), clock.instant()));
            }

            @Override
            public void publishApprovalRequest(FailoverReport report, Instant expiresAt) {
                alive();
                // not an outcome: the report travels in the text only
                notices.add(new Notice("approval " + report.runId(), null, "until " + expiresAt, clock.instant()));
            }
        };
        ReadinessEvaluator readiness = new ReadinessEvaluator() {
            @Override
            public Readiness evaluate() {
                return new Readiness(PLAN, true, List.of(), clock.instant());
            }
        };
        StepBoundaries boundaries = new StepBoundaries() {
            @Override
            public void passed(String runId, StepName step) {
                alive();
                if (step == killAfter) {
                    killAfter = null;
                    dead = true;
                    throw new Killed(step);
                }
            }
        };
        RetryPause pause = new RetryPause() {
            @Override
            public void before(Duration wait) {
                clock.advance(wait);
            }
        };

        JournalStore living = living(journal);
        HealthEvaluator health = new HealthEvaluator();
        wireAll(health, Map.of("config", config, "pairs", pairs, "planPairs", planPairs, "cloudWatch", cloudWatch,
                "journal", living, "clock", clock));
        FailoverWorkflow workflow = new FailoverWorkflow();
        wireAll(workflow, Map.of("config", config, "pairs", pairs, "dnsGateways", dnsGateways, "planPairs", planPairs,
                "boundaries", boundaries, "retryPause", pause, "notifier", notifier, "journal", living,
                "clock", clock, "topology", topology(living)));
        wireAll(service, Map.of("config", config, "health", health, "workflow", workflow, "journal", living,
                "cloudWatch", cloudWatch, "readinessEvaluator", readiness, "planPairs", planPairs,
                "notifier", notifier, "clock", clock));
    }

    /**
     * The explored plans publish no topology (failover.topology-parameters-prefix is not set): what a run does to
     * the databases, DNS and the journal is explored here; the publication is tested against the emulator
     * (TopologyPublicationIT) and on its own (TopologyPublisherTest).
     */
    private TopologyPublisher topology(JournalStore living) {
        TopologyPublisher publisher = new TopologyPublisher();
        wireAll(publisher, Map.of("config", config, "journal", living, "clock", clock));
        return publisher;
    }

    /** The journal as the beans see it: a killed invocation reads and writes nothing more ({@link #dead}). */
    private JournalStore living(JournalStore store) {
        return (JournalStore) Proxy.newProxyInstance(JournalStore.class.getClassLoader(),
                new Class<?>[] {JournalStore.class}, (proxy, method, args) -> {
                    alive();
                    try {
                        Object result = method.invoke(store, args);
                        return method.getName().equals("forPartition") ? living((JournalStore) result) : result;
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    private int indexOf(DatabasePair pair) {
        return planPairs.all().indexOf(pair);
    }

    /** What the handlers do with a refused event: notify it (rate-limited in production). */
    void refused(RejectedEvent refusal) {
        notifier.publishRefusedOrder(refusal.kind(), refusal.getMessage());
    }

    /**
     * The pair at a generation, as DatabasePairs builds it: RDS instances named per generation (as configured,
     * then -g1, ...); the same global database at every generation.
     */
    FakePair pairAt(int generation) {
        return pairAt(0, generation);
    }

    /** The plan's {@code pair}-th pair at a generation. */
    FakePair pairAt(int pair, int generation) {
        if (kind == FailoverConfig.DatabaseKind.AURORA_GLOBAL) {
            return new FakeAuroraPair(aws, GLOBAL_ID, FakeAws.PRIMARY_REGION, FakeAws.STANDBY_REGION);
        }
        PairSpec spec = pairs.get(pair);
        return new FakeRdsPair(aws,
                new FakeRdsPair.Side(FakeAws.PRIMARY_REGION, named(spec.primaryId(), generation), Optional.empty()),
                new FakeRdsPair.Side(FakeAws.STANDBY_REGION, named(spec.standbyId(), generation),
                        generation == 0 ? Optional.empty() : Optional.of(named(spec.standbyId(), generation - 1))),
                new FakeRdsPair.Side(FakeAws.PRIMARY_REGION, named(spec.primaryId(), generation + 1),
                        Optional.of(named(spec.primaryId(), generation))));
    }

    /** The pair's current generation, from its journal. */
    FakePair currentPair(int pair) {
        return pairAt(pair, journalOf(pair).state().generation());
    }

    static String named(String id, int generation) {
        return generation == 0 ? id : id + "-g" + generation;
    }

    // ArC injects package-private fields; by hand, so does this (the beans have no setters to call).
    private static void wireAll(Object bean, Map<String, Object> fields) {
        fields.forEach((name, value) -> set(bean, name, value));
    }

    private static void set(Object bean, String name, Object value) {
        try {
            Field field = bean.getClass().getDeclaredField(name);
            field.setAccessible(true);
            field.set(bean, value);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot wire " + bean.getClass().getSimpleName() + "." + name, e);
        }
    }
}
