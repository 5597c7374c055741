package dev.regionfailover.explore;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import dev.regionfailover.config.FailoverConfig;
import dev.regionfailover.database.ServingStatus;
import dev.regionfailover.event.OperatorCommand;
import dev.regionfailover.failover.RunState;
import dev.regionfailover.failover.StepName;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;

/**
 * Generated histories against the explored system (docs/safety.md): random sequences of alarms and their copies,
 * schedule ticks and their redeliveries, every operator order, RDS events, every documented status on
 * either side (DB instance statuses for an RDS instance pair, DB cluster statuses for an Aurora global database),
 * region and Route 53 outages, throttling, lag changes, clock advances, Lambda kills at step
 * boundaries and short Lambda deadlines, in every failover mode, with the defaults for hysteresis. After every
 * action, {@link WorldInvariants} checks the invariants; at the end the world heals and every run must end, said.
 * A third property explores a plan of three RDS pairs (a region evacuation), each with its own record, mode and
 * lag, whose databases the histories aim at one by one, under region-wide faults that hit them all.
 *
 * <p>The seed is fixed so that CI explores the same histories every run and a failure reproduces; change it (or
 * run with {@code -Djqwik.seeds.whenfixed=ALLOW} and a seed of your own) to explore others.
 */
class LifecycleExplorationTest {

    /** What one kind's exploration did: the figures for docs/safety.md. */
    private static final class Figures {
        final AtomicLong histories = new AtomicLong();
        final AtomicLong actions = new AtomicLong();
        final AtomicLong invocations = new AtomicLong();
        final AtomicLong checks = new AtomicLong();
        /** Promotions asked of AWS, and runs that completed: that the histories get through, not only fail. */
        final AtomicLong promotions = new AtomicLong();
        final AtomicLong completed = new AtomicLong();
        /** Runs that asked for approval, and those an approval let go on (approval-required worlds only). */
        final AtomicLong asked = new AtomicLong();
        final AtomicLong approved = new AtomicLong();
        volatile long started;
        volatile long ended;
    }

    /** By world: the kind of its one pair, or the plan of several. */
    private static final Map<String, Figures> FIGURES = new LinkedHashMap<>();
    private static final String PLAN_OF_PAIRS = "rds-plan-of-" + ExploredSystem.PAIRS.size() + "-pairs";
    private static final String APPROVAL_REQUIRED = "rds-instance-approval-required";
    private static final String APPROVAL_REQUIRED_AURORA = "aurora-global-approval-required";

    static {
        for (FailoverConfig.DatabaseKind kind : List.of(FailoverConfig.DatabaseKind.RDS_INSTANCE,
                FailoverConfig.DatabaseKind.AURORA_GLOBAL)) {
            FIGURES.put(label(kind), new Figures());
        }
        FIGURES.put(PLAN_OF_PAIRS, new Figures());
        FIGURES.put(APPROVAL_REQUIRED, new Figures());
        FIGURES.put(APPROVAL_REQUIRED_AURORA, new Figures());
    }

    static {
        // Ten thousand histories of runs would log millions of lines; the invariants speak for them.
        java.util.logging.Logger.getLogger("dev.regionfailover").setLevel(java.util.logging.Level.OFF);
    }

    /** An RDS DB instance with a cross-region read replica, and every documented DB instance status. */
    @Property(tries = 10_000, seed = "20261202", shrinking = ShrinkingMode.FULL)
    void everyRdsInstanceHistoryKeepsTheInvariants(@ForAll("modes") FailoverConfig.FailoverMode mode,
            @ForAll("lags") double lag, @ForAll("instanceHistories") List<Action> actions) {
        explore(FailoverConfig.DatabaseKind.RDS_INSTANCE, mode, lag, actions);
    }

    /** An Aurora global database, and every documented DB cluster status, on either member. */
    @Property(tries = 10_000, seed = "20261202", shrinking = ShrinkingMode.FULL)
    void everyAuroraGlobalHistoryKeepsTheInvariants(@ForAll("modes") FailoverConfig.FailoverMode mode,
            @ForAll("lags") double lag, @ForAll("clusterHistories") List<Action> actions) {
        explore(FailoverConfig.DatabaseKind.AURORA_GLOBAL, mode, lag, actions);
    }

    /**
     * approval-required: the same RDS histories (every order, approvals among them, naming the runs under way),
     * where an automatic failover must change nothing until an approval is granted (WorldInvariants.perRun), and
     * an answer AWAITING_APPROVAL must have changed nothing. Fewer histories: the gate is one step of the same runs.
     */
    @Property(tries = 2_000, seed = "20261203", shrinking = ShrinkingMode.FULL)
    void everyApprovalRequiredHistoryKeepsTheInvariants(@ForAll("modes") FailoverConfig.FailoverMode mode,
            @ForAll("lags") double lag, @ForAll("approvalInstanceHistories") List<Action> actions) {
        explore(APPROVAL_REQUIRED, actions, seed -> History.approvalRequired(seed,
                FailoverConfig.DatabaseKind.RDS_INSTANCE, mode, lag));
    }

    /** The same for an Aurora global database. */
    @Property(tries = 1_000, seed = "20261203", shrinking = ShrinkingMode.FULL)
    void everyApprovalRequiredAuroraHistoryKeepsTheInvariants(@ForAll("modes") FailoverConfig.FailoverMode mode,
            @ForAll("lags") double lag, @ForAll("approvalClusterHistories") List<Action> actions) {
        explore(APPROVAL_REQUIRED_AURORA, actions, seed -> History.approvalRequired(seed,
                FailoverConfig.DatabaseKind.AURORA_GLOBAL, mode, lag));
    }

    /**
     * A region evacuation: the plan's own RDS pair and two more ({@code failover.additional-databases}), each with
     * its own record, failover mode and starting lag; statuses, recoveries and lags aimed at any pair's databases
     * beside every action of the single-pair worlds (whose outages and throttling hit every pair). Fewer
     * histories than the single pairs: each plays three pairs, and the figures in docs/safety.md keep it to about
     * 20 s of CI.
     */
    @Property(tries = 1_000, seed = "20261202", shrinking = ShrinkingMode.FULL)
    void everyPlanOfSeveralRdsPairsKeepsTheInvariants(@ForAll("planModes") List<FailoverConfig.FailoverMode> modes,
            @ForAll("planLags") List<Double> lags, @ForAll("planHistories") List<Action> actions) {
        explore(PLAN_OF_PAIRS, actions, seed -> new History(seed, modes, lags));
    }

    private static void explore(FailoverConfig.DatabaseKind kind, FailoverConfig.FailoverMode mode, double lag,
            List<Action> actions) {
        explore(label(kind), actions, seed -> new History(seed, kind, mode, lag));
    }

    private static void explore(String world, List<Action> actions,
            java.util.function.LongFunction<History> historyOf) {
        Figures figures = FIGURES.get(world);
        if (figures.started == 0) {
            figures.started = System.nanoTime();
        }
        History history = historyOf.apply(History.seedOf(actions)).play(actions);
        figures.histories.incrementAndGet();
        figures.actions.addAndGet(actions.size());
        figures.invocations.addAndGet(history.invocations());
        figures.checks.addAndGet(history.checks());
        figures.promotions.addAndGet(history.world().aws.calls.stream().filter(FakeAws.Call::promotion).count());
        for (int pair = 0; pair < history.world().pairs.size(); pair++) {
            figures.completed.addAndGet(history.world().journalOf(pair).runs.values().stream()
                    .filter(run -> run.state == RunState.COMPLETED).count());
            figures.asked.addAndGet(history.world().journalOf(pair).runs.values().stream()
                    .filter(run -> run.approval != null).count());
            figures.approved.addAndGet(history.world().journalOf(pair).runs.values().stream()
                    .filter(run -> run.approval != null && run.approval.granted()).count());
        }
        figures.ended = System.nanoTime();
    }

    @AfterContainer
    static void figures() {
        // The figures for docs/safety.md; the properties above are the test.
        FIGURES.entrySet().stream().filter(kind -> kind.getValue().histories.get() > 0).forEach(kind -> {
            Figures figures = kind.getValue();
            System.out.printf("EXPLORATION in-memory %s: %d histories, %d actions, "
                + "%d invocations, %d invariant checks, %d promotions, %d runs completed%s, %.1f s%n",
                    kind.getKey(), figures.histories.get(),
                    figures.actions.get(), figures.invocations.get(), figures.checks.get(),
                    figures.promotions.get(), figures.completed.get(), figures.asked.get() == 0 ? ""
                            : ", " + figures.asked.get() + " asked for approval, " + figures.approved.get()
                                    + " approved", (figures.ended - figures.started) / 1e9);
        });
    }

    private static String label(FailoverConfig.DatabaseKind kind) {
        return kind.name().toLowerCase().replace('_', '-');
    }

    @Provide
    Arbitrary<FailoverConfig.FailoverMode> modes() {
        return Arbitraries.of(FailoverConfig.FailoverMode.class);
    }

    @Provide
    Arbitrary<Double> lags() {
        return Arbitraries.of(0.0, 5.0, 45.0, 120.0, 900.0);
    }

    @Provide
    Arbitrary<List<FailoverConfig.FailoverMode>> planModes() {
        return modes().list().ofSize(ExploredSystem.PAIRS.size());
    }

    @Provide
    Arbitrary<List<Double>> planLags() {
        return lags().list().ofSize(ExploredSystem.PAIRS.size());
    }

    @Provide
    Arbitrary<List<Action>> instanceHistories() {
        return Arbitraries.frequencyOf(actions(ServingStatus.instanceTable().keySet()))
                .list().ofMinSize(1).ofMaxSize(30);
    }

    @Provide
    Arbitrary<List<Action>> clusterHistories() {
        return Arbitraries.frequencyOf(actions(ServingStatus.clusterTable().keySet()))
                .list().ofMinSize(1).ofMaxSize(30);
    }

    @Provide
    Arbitrary<List<Action>> approvalInstanceHistories() {
        return approvalHistories(ServingStatus.instanceTable().keySet());
    }

    @Provide
    Arbitrary<List<Action>> approvalClusterHistories() {
        return approvalHistories(ServingStatus.clusterTable().keySet());
    }

    /**
     * Every action, with sustained outages (so that automatic runs reach AWAIT_APPROVAL) and approvals (fresh,
     * naming the runs under way; stale or forced ones come with the other orders) added to the weights.
     */
    private static Arbitrary<List<Action>> approvalHistories(Set<String> statuses) {
        List<Tuple.Tuple2<Integer, Arbitrary<Action>>> actions = new ArrayList<>(actions(statuses));
        actions.add(weighted(3, Arbitraries.integers().between(2, 4).map(Action.SustainedOutage::new)));
        actions.add(weighted(4, Arbitraries.of(true, false).map(dryRun -> new Action.Order(
                OperatorCommand.Action.APPROVE, dryRun, false))));
        return Arbitraries.frequencyOf(actions).list().ofMinSize(1).ofMaxSize(30);
    }

    /** A plan's histories: every single-pair action, and the same statuses, recoveries and lags on any pair. */
    @Provide
    Arbitrary<List<Action>> planHistories() {
        Set<String> statuses = ServingStatus.instanceTable().keySet();
        Arbitrary<Integer> pair = Arbitraries.integers().between(0, ExploredSystem.PAIRS.size() - 1);
        List<Tuple.Tuple2<Integer, Arbitrary<Action>>> actions = new ArrayList<>(actions(statuses));
        actions.add(weighted(6, Combinators.combine(pair, Arbitraries.of(true, false), status(statuses), lasting())
                .as(Action.PairStatus::new)));
        actions.add(weighted(3, Combinators.combine(pair, Arbitraries.of(true, false)).as(Action.PairRecovers::new)));
        actions.add(weighted(3, Combinators.combine(pair, lag()).as(Action.PairLag::new)));
        return Arbitraries.frequencyOf(actions).list().ofMinSize(1).ofMaxSize(30);
    }

    /** Arbitrary only produces, so one of a kind of action is one of actions (as frequencyOf's varargs cast it). */
    @SuppressWarnings("unchecked")
    private static Tuple.Tuple2<Integer, Arbitrary<Action>> weighted(int weight, Arbitrary<? extends Action> actions) {
        return Tuple.of(weight, (Arbitrary<Action>) actions);
    }

    private static Arbitrary<String> status(Set<String> statuses) {
        return Arbitraries.of(List.copyOf(statuses))
                .injectDuplicates(0.1).edgeCases(edges -> edges.add("an-undocumented-status"));
    }

    private static Arbitrary<Duration> lasting() {
        return Arbitraries.of(Duration.ofSeconds(30), Duration.ofMinutes(5), Duration.ofMinutes(40));
    }

    private static Arbitrary<Double> lag() {
        return Arbitraries.of(0.0, 10.0, 61.0, 400.0);
    }

    /**
     * Every kind of action, with its weight; {@code statuses}: the documented table of the explored kind's
     * databases. A list, so that a plan's histories add their own to the same weights.
     */
    private static List<Tuple.Tuple2<Integer, Arbitrary<Action>>> actions(Set<String> statuses) {
        Arbitrary<Integer> alarm = Arbitraries.integers().between(0, 1);
        Arbitrary<String> status = status(statuses);
        Arbitrary<Duration> lasting = lasting();
        return List.of(
                weighted(6, Combinators.combine(alarm, Arbitraries.integers().between(1, 3))
                        .as(Action.AlarmFires::new)),
                weighted(2, alarm.map(Action.AlarmClears::new)),
                weighted(1, Arbitraries.just(new Action.OtherAlarm())),
                weighted(6, Arbitraries.of(true, false).map(Action.Tick::new)),
                weighted(4, Combinators.combine(Arbitraries.of(OperatorCommand.Action.class),
                        Arbitraries.of(true, false), Arbitraries.of(true, false),
                        Arbitraries.frequency(Tuple.of(8, Action.Age.FRESH), Tuple.of(1, Action.Age.STALE),
                                Tuple.of(1, Action.Age.AHEAD))).as(Action.Order::new)),
                weighted(1, Arbitraries.of(true, false).map(Action.ForeignAlarm::new)),
                weighted(1, Arbitraries.of("RDS-EVENT-0238", "RDS-EVENT-0185", "RDS-EVENT-0045")
                        .map(Action.RdsEvent::new)),
                weighted(4, Combinators.combine(Arbitraries.of(true, false), status, lasting)
                        .as(Action.Status::new)),
                weighted(2, Arbitraries.of(true, false).map(Action.Recovers::new)),
                weighted(2, Combinators.combine(Arbitraries.of(FakeAws.PRIMARY_REGION,
                        FakeAws.STANDBY_REGION), Arbitraries.of(true, false)).as(Action.RegionOutage::new)),
                weighted(1, Arbitraries.of(true, false).map(Action.Route53ControlPlane::new)),
                weighted(1, Arbitraries.of(0.0, 0.2, 0.5).map(Action.Throttling::new)),
                weighted(2, lag().map(Action.Lag::new)),
                weighted(5, Arbitraries.of(Duration.ofSeconds(10), Duration.ofMinutes(1),
                        Duration.ofMinutes(3), Duration.ofMinutes(20), Duration.ofHours(2)).map(Action.Advance::new)),
                weighted(2, Arbitraries.of(StepName.class).map(Action.KillAfter::new)),
                weighted(1, Arbitraries.of(Duration.ofMinutes(15), Duration.ofSeconds(90),
                        Duration.ofSeconds(25)).map(Action.LambdaTime::new)));
    }
}
