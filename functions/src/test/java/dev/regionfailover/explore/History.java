package dev.regionfailover.explore;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.regionfailover.config.FailoverConfig;
import dev.regionfailover.event.AlarmSignal;
import dev.regionfailover.event.EventBridgeEnvelope;
import dev.regionfailover.event.OperatorCommand;
import dev.regionfailover.event.RdsNotification;
import dev.regionfailover.event.RejectedEvent;
import dev.regionfailover.failover.Deadline;
import dev.regionfailover.failover.Lifecycle;
import dev.regionfailover.handler.HandlerResponse;

/**
 * One generated history played against the {@link ExploredSystem}: each trigger is one Lambda invocation through
 * the service the handlers call, with its own owner id and the Lambda time left; the invariants are checked after
 * every action, and at the end the world is healed and ticked until every run has ended.
 */
final class History {

    /** How many invocations, at most, the healed world gets to finish what the history left running. */
    private static final int SETTLING_TICKS = 8;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ExploredSystem world;
    private final WorldInvariants invariants;
    private Duration lambdaTime = Duration.ofMinutes(15);
    private int invocations;
    private String lastTickId;

    History(long seed, FailoverConfig.DatabaseKind kind, FailoverConfig.FailoverMode mode, double lagSeconds) {
        this(new ExploredSystem(seed, kind, mode, lagSeconds));
    }

    /** One pair whose automatic failovers wait for an operator's approval (approval-required). */
    static History approvalRequired(long seed, FailoverConfig.DatabaseKind kind, FailoverConfig.FailoverMode mode,
            double lagSeconds) {
        return new History(new ExploredSystem(seed, kind, List.of(mode), List.of(lagSeconds),
                FailoverConfig.ApprovalMode.APPROVAL_REQUIRED));
    }

    /** A plan of several RDS pairs, one mode and starting lag each (see ExploredSystem). */
    History(long seed, List<FailoverConfig.FailoverMode> modes, List<Double> lags) {
        this(new ExploredSystem(seed, FailoverConfig.DatabaseKind.RDS_INSTANCE, modes, lags));
    }

    private History(ExploredSystem world) {
        this.world = world;
        invariants = new WorldInvariants(world);
    }

    /**
     * The fakes' random source (throttling, how long AWS takes) is seeded by the history's text, so a history
     * replays the same in a named test as in the exploration (an enum's hashCode differs between JVM runs).
     */
    static long seedOf(List<Action> actions) {
        return actions.toString().hashCode();
    }

    ExploredSystem world() {
        return world;
    }

    int invocations() {
        return invocations;
    }

    int checks() {
        return invariants.checks();
    }

    /** Plays every action, checking after each; then heals the world and checks that nothing is left hanging. */
    History play(List<Action> actions) {
        for (Action action : actions) {
            action.apply(this);
            invariants.afterAction(action);
        }
        world.aws.unreachable.clear();
        world.aws.route53Down = false;
        world.aws.throttling = 0;
        world.killAfter = null;
        lambdaTime = Duration.ofMinutes(15);
        for (int tick = 0; tick < SETTLING_TICKS && invariants.aRunIsUnfinished(); tick++) {
            world.clock.advance(world.config.timeouts().lease().plusMinutes(1));
            tick(false);
            invariants.afterAction(new Action.Tick(false));
        }
        invariants.atEnd();
        return this;
    }

    // ---- what the actions do ----------------------------------------------------------------------------------

    void alarm(String name, String state, int copies) {
        String previous = world.aws.alarms.getOrDefault(name, "OK");
        world.aws.alarms.put(name, state);
        AlarmSignal signal = new AlarmSignal(name, "arn:aws:cloudwatch:" + FakeAws.PRIMARY_REGION + ":"
                + ExploredSystem.ACCOUNT + ":alarm:" + name, FakeAws.PRIMARY_REGION, ExploredSystem.ACCOUNT,
                AlarmSignal.AlarmState.valueOf(state), AlarmSignal.AlarmState.valueOf(previous), "history",
                world.clock.instant().toString(), AlarmSignal.Shape.EVENTBRIDGE);
        for (int copy = 0; copy < copies; copy++) {
            invoke(owner -> world.service.onAlarm(signal, deadline(), owner));
        }
    }

    void otherAlarm() {
        AlarmSignal signal = new AlarmSignal("someone-elses-alarm", "", FakeAws.PRIMARY_REGION,
                ExploredSystem.ACCOUNT, AlarmSignal.AlarmState.ALARM, AlarmSignal.AlarmState.OK, "history",
                world.clock.instant().toString(), AlarmSignal.Shape.SNS);
        invoke(owner -> world.service.onAlarm(signal, deadline(), owner));
    }

    void tick(boolean redelivered) {
        String id = redelivered && lastTickId != null ? lastTickId : "tick-" + invocations;
        lastTickId = id;
        EventBridgeEnvelope tick = new EventBridgeEnvelope(id, "aws.events", "Scheduled Event", ExploredSystem.ACCOUNT,
                FakeAws.STANDBY_REGION, world.clock.instant().toString(), JSON.createObjectNode());
        invoke(owner -> world.service.onSchedule(tick, deadline(), owner));
    }

    /** As ManualFailoverHandler: TriggerTrust admits the order, or it is refused and notified, changing nothing. */
    void order(OperatorCommand.Action action, boolean dryRun, boolean force, Action.Age age) {
        OperatorCommand command = new OperatorCommand(action, "history", dryRun, force, "oncall",
                "regionfailover.operator", ExploredSystem.ACCOUNT, "order-" + invocations,
                action == OperatorCommand.Action.APPROVE ? approvable() : List.of());
        Instant sent = switch (age) {
            case FRESH -> world.clock.instant().minusSeconds(5);
            case STALE -> world.clock.instant().minus(world.config.operator().maxOrderAge()).minusSeconds(1);
            case AHEAD -> world.clock.instant().plus(world.config.operator().clockSkew()).plusSeconds(1);
        };
        invoke(owner -> {
            try {
                world.trust.admitOrder(command, sent.toString(), world.clock.instant());
            } catch (RejectedEvent refused) {
                world.refused(refused);
                return HandlerResponse.of("REJECTED", refused.getMessage());
            }
            return world.service.onOperator(command, deadline(), owner);
        });
    }

    /**
     * What an operator approves: every run under way (waiting for approval or not: approving one that never asked
     * must change nothing), or, with none, a run id of no run at all.
     */
    private List<String> approvable() {
        List<String> runs = new java.util.ArrayList<>();
        for (int pair = 0; pair < world.pairs.size(); pair++) {
            Lifecycle.PlanState state = world.journalOf(pair).state();
            if (state.phase() == Lifecycle.Phase.RUNNING) {
                state.run().map(Lifecycle.RunSpec::runId).ifPresent(runs::add);
            }
        }
        return runs.isEmpty() ? List.of("20260101T000000Z-0badc0de") : runs;
    }

    /** As AlarmHandler: a foreign alarm is ignored before the service hears of it. */
    void foreignAlarm(boolean otherAccount) {
        String name = ExploredSystem.WATCHED_ALARMS.get(0);
        String region = otherAccount ? FakeAws.PRIMARY_REGION : "eu-west-1";
        String account = otherAccount ? "999988887777" : ExploredSystem.ACCOUNT;
        AlarmSignal signal = new AlarmSignal(name, "arn:aws:cloudwatch:" + region + ":" + account + ":alarm:" + name,
                region, account, AlarmSignal.AlarmState.ALARM, AlarmSignal.AlarmState.OK, "history",
                world.clock.instant().toString(), AlarmSignal.Shape.EVENTBRIDGE);
        invoke(owner -> world.trust.foreignAlarm(signal).map(why -> HandlerResponse.of("IGNORED", why))
                .orElseThrow(() -> new AssertionError("a foreign alarm was let through: " + signal)));
    }

    void rdsEvent(String eventId) {
        RdsNotification event = new RdsNotification(world.kind == FailoverConfig.DatabaseKind.AURORA_GLOBAL
                ? "RDS DB Cluster Event" : "RDS DB Instance Event", Optional.of(eventId),
                world.currentPair(0).standbyId(), "history");
        invoke(owner -> world.service.onRdsEvent(event, deadline(), owner));
    }

    void status(int pairIndex, boolean primary, String status, Duration lasting) {
        FakePair pair = world.currentPair(pairIndex);
        String id = primary ? pair.primaryId() : pair.standbyId();
        world.aws.setStatus(id, status, lasting);
    }

    void region(String region, boolean down) {
        if (down) {
            world.aws.unreachable.add(region);
        } else {
            world.aws.unreachable.remove(region);
        }
    }

    void lag(int pair, double seconds) {
        world.currentPair(pair).replica().ifPresent(replica -> replica.lagSeconds = seconds);
    }

    void lambdaTime(Duration remaining) {
        lambdaTime = remaining;
    }

    // ---- one invocation ----------------------------------------------------------------------------------------

    private Deadline deadline() {
        return Deadline.after(lambdaTime, world.clock);
    }

    private void invoke(Function<String, HandlerResponse> handler) {
        String owner = "lambda-" + (++invocations);
        invariants.beforeInvocation();
        HandlerResponse response = null;
        RuntimeException thrown = null;
        try {
            response = handler.apply(owner);
        } catch (RuntimeException e) {
            thrown = e;
        }
        if (world.dead && thrown == null) {
            // A plan's pairs run on a pool: a kill there ends that pair's task and the answer still comes, but
            // the Lambda is dead; nobody hears it.
            response = null;
            thrown = new ExploredSystem.Killed();
        }
        world.dead = false;
        invariants.afterInvocation(owner, response, thrown);
    }
}
