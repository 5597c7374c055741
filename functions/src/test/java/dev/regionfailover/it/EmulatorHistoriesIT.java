package dev.regionfailover.it;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;

import jakarta.inject.Inject;
import jakarta.inject.Named;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.regionfailover.tools.Topology;
import software.amazon.awssdk.services.cloudwatch.model.StateValue;

/**
 * Generated histories against the emulator, through the real handlers (alarm, health-check, manual-failover,
 * invoked in-process with a Lambda context whose remaining time the history chooses): short random sequences of
 * alarms, ticks, operator orders, outages, lag changes, and deadline pauses, with
 * {@link EmulatorInvariants} checked after every action and once more after a final tick has had the chance to
 * resume whatever was left running. Without the fault proxy: behind it every call costs three times as much
 * (10 histories: 112 s behind it, 36 s without), and TransientFaultsIT covers faults. Seeded:
 * {@code -Dhistories.seed=N -Dhistories.count=M} replays; a failure prints the seed and the failing history's actions.
 */
@QuarkusTest
@WithTestResource(value = EmulatorResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS, initArgs = {
        @ResourceArg(name = "promotionSeconds", value = "0.2"),
        @ResourceArg(name = "failover.timeouts.poll-interval", value = "PT0.05S"),
        // the force bus, so that forced orders are admitted and explored (TriggerTrust refuses them elsewhere)
        @ResourceArg(name = "failover.operator.path", value = "force-bus") })
class EmulatorHistoriesIT {

    private static final long SEED = Long.getLong("histories.seed", 20261202L);
    /**
     * 200 by default, the set issue 10 asks for: on this 2-core machine one history costs about 1.2 s against moto
     * (0.12 s an invocation, 0.04 s an invariant check, 0.18 s the world's reset), so CI spends about 4 minutes here
     * (241 s for 200, with another test run sharing the cores).
     */
    private static final int HISTORIES = Integer.getInteger("histories.count", 200);
    private static final double SEEDED_LAG = 5;
    private static final int WAIT_LIMIT_SECONDS = 25;

    @Inject
    @Named("alarm")
    RequestStreamHandler alarmHandler;

    @Inject
    @Named("health-check")
    RequestStreamHandler healthCheckHandler;

    @Inject
    @Named("manual-failover")
    RequestStreamHandler operatorHandler;

    private final ObjectMapper mapper = new ObjectMapper();
    private boolean published;
    private long resetting;
    private long invoking;
    private long checking;

    /** One step of a history; {@code remainingMillis} is the Lambda time the invocation is given (0: plenty). */
    record Action(Kind kind, String detail, int remainingMillis) {
        @Override
        public String toString() {
            return kind + (detail.isEmpty() ? "" : "(" + detail + ")")
                    + (remainingMillis > 0 ? " with " + remainingMillis + " ms left" : "");
        }
    }

    enum Kind {
        ALARM, ALARM_OK, DUPLICATE_ALARM, UNWATCHED_ALARM, TICK, FAILOVER, FORCED_FAILOVER, SWITCHOVER, FAILBACK,
        DRY_RUN, PRIMARY_DOWN, LAG
    }

    @Test
    void generatedHistoriesKeepEveryInvariant() {
        Random random = new Random(SEED);
        long started = System.nanoTime();
        int actions = 0;
        int checks = 0;
        for (int history = 0; history < HISTORIES; history++) {
            List<Action> generated = generate(random);
            checks += replay(generated, "history " + history + " of seed " + SEED);
            actions += generated.size();
        }
        System.out.printf("EXPLORATION emulator: %d histories, %d actions, %d invariant checks, %.0f s (seed %d;"
                + " resetting %.0f s, invoking %.0f s, checking %.0f s)%n", HISTORIES, actions, checks,
                (System.nanoTime() - started) / 1e9, SEED, resetting / 1e9, invoking / 1e9, checking / 1e9);
    }

    static List<Action> generate(Random random) {
        List<Action> history = new ArrayList<>();
        int length = 4 + random.nextInt(5);
        Kind[] kinds = Kind.values();
        for (int i = 0; i < length; i++) {
            // outages and alarms weigh more: most interesting histories start from a failing primary
            Kind kind = random.nextInt(3) == 0 ? List.of(Kind.PRIMARY_DOWN, Kind.ALARM, Kind.TICK).get(random.nextInt(3))
                    : kinds[random.nextInt(kinds.length)];
            String detail = switch (kind) {
                case ALARM, ALARM_OK -> Topology.WATCHED_ALARMS.get(random.nextInt(Topology.WATCHED_ALARMS.size()));
                case LAG -> List.of("0", "30", "500").get(random.nextInt(3));
                default -> "";
            };
            // a fifth of the invocations get about half a second of work before the 20 s margin: a deadline pause
            int remaining = random.nextInt(5) == 0 ? 20_000 + random.nextInt(1500) : 0;
            history.add(new Action(kind, detail, remaining));
        }
        return history;
    }

    /** Runs one history from a freshly seeded world; returns the invariant checks made. */
    int replay(List<Action> history, String name) {
        List<Action> done = new ArrayList<>();
        try (Topology world = EmulatorResource.topology()) {
            long before = System.nanoTime();
            world.reset(SEEDED_LAG);
            Topology.WATCHED_ALARMS.forEach(alarm -> world.setAlarm(alarm, StateValue.OK, "history start"));
            // RDS publishes ReplicaLag for every replica; the emulator only for those the fixture reports, so the
            // failback's new replica (caught up) and the rebuilt standby replica get theirs here
            world.reportReplicaLag(Topology.PRIMARY_REGION, Topology.PRIMARY_ID + "-g1", 0);
            world.reportReplicaLag(Topology.STANDBY_REGION, Topology.REPLICA_ID + "-g1", 3);
            AwsCallRecorder.clear();
            resetting += System.nanoTime() - before;
            EmulatorInvariants invariants = new EmulatorInvariants(world);
            String lastAlarm = null;
            for (Action action : history) {
                done.add(action);
                before = System.nanoTime();
                lastAlarm = perform(world, invariants, action, lastAlarm);
                invoking += System.nanoTime() - before;
                before = System.nanoTime();
                invariants.afterAction(published);
                checking += System.nanoTime() - before;
            }
            if (invariants.running()) {
                // whatever a pause left running, the next trigger takes up and ends
                Action resume = new Action(Kind.TICK, "resume", 0);
                done.add(resume);
                perform(world, invariants, resume, lastAlarm);
                invariants.afterAction(published);
                if (invariants.running()) {
                    throw new AssertionError("a tick with time to spare left the run RUNNING");
                }
            }
            return invariants.checks();
        } catch (AssertionError | RuntimeException broken) {
            throw new AssertionError(name + " broke after " + done + ": " + broken.getMessage(), broken);
        }
    }

    private String perform(Topology world, EmulatorInvariants invariants, Action action, String lastAlarm) {
        String event = switch (action.kind()) {
            case ALARM -> {
                world.setAlarm(action.detail(), StateValue.ALARM, "history");
                yield alarmEvent(action.detail(), "ALARM");
            }
            case ALARM_OK -> {
                world.setAlarm(action.detail(), StateValue.OK, "history");
                yield alarmEvent(action.detail(), "OK");
            }
            case DUPLICATE_ALARM -> lastAlarm != null ? lastAlarm : alarmEvent(Topology.WATCHED_ALARMS.get(0), "OK");
            case UNWATCHED_ALARM -> alarmEvent("someone-elses-alarm", "ALARM");
            case TICK -> schedule();
            case FAILOVER -> operator("Manual Failover Requested", false, false);
            case FORCED_FAILOVER -> operator("Manual Failover Requested", false, true);
            case SWITCHOVER -> operator("Planned Switchover Requested", false, false);
            case FAILBACK -> operator("Failback Requested", false, false);
            case DRY_RUN -> operator("Manual Failover Requested", true, false);
            case PRIMARY_DOWN -> {
                if ("available".equals(world.instance(Topology.PRIMARY_REGION, Topology.PRIMARY_ID).dbInstanceStatus())) {
                    world.stopPrimary();
                }
                yield null;
            }
            case LAG -> {
                world.reportReplicaLag(Double.parseDouble(action.detail()));
                yield null;
            }
        };
        published = false;
        if (event == null) {
            return lastAlarm;
        }
        RequestStreamHandler handler = switch (action.kind()) {
            case ALARM, ALARM_OK, DUPLICATE_ALARM, UNWATCHED_ALARM -> alarmHandler;
            case TICK -> healthCheckHandler;
            default -> operatorHandler;
        };
        AwsCallRecorder.clear();
        invoke(handler, event, action.remainingMillis());
        List<String> calls = AwsCallRecorder.calls();
        published = calls.contains("Sns:Publish");
        invariants.afterInvocation(calls);
        return action.kind().name().startsWith("ALARM") || action.kind() == Kind.DUPLICATE_ALARM ? event : lastAlarm;
    }

    /** Invokes a handler as Lambda would; a rethrown failure is Lambda's retry, not a silent end. */
    private JsonNode invoke(RequestStreamHandler handler, String event, int remainingMillis) {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        long started = System.nanoTime();
        try {
            handler.handleRequest(new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), output,
                    context(remainingMillis));
            long seconds = (System.nanoTime() - started) / 1_000_000_000L;
            if (seconds > WAIT_LIMIT_SECONDS) {
                throw new AssertionError("an invocation spent " + seconds + " s: a wait spent its bound on a change "
                        + "that does not come in this world (its changes take well under a second)");
            }
            return mapper.readTree(output.toByteArray());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (dev.regionfailover.handler.EventIo.HandlerFailure failed) {
            return null;
        }
    }

    private static String alarmEvent(String alarm, String state) {
        String previous = state.equals("ALARM") ? "OK" : "ALARM";
        return """
                {"version":"0","id":"%s","detail-type":"CloudWatch Alarm State Change","source":"aws.cloudwatch",
                 "account":"%s","time":"%s","region":"%s","resources":["arn:aws:cloudwatch:%s:%s:alarm:%s"],
                 "detail":{"alarmName":"%s","previousState":{"value":"%s","reason":"history"},
                 "state":{"value":"%s","reason":"history","timestamp":"%s"}}}
                """.formatted(UUID.randomUUID(), Topology.ACCOUNT, Instant.now(), Topology.PRIMARY_REGION,
                Topology.PRIMARY_REGION, Topology.ACCOUNT, alarm, alarm, previous, state, Instant.now());
    }

    private static String schedule() {
        return """
                {"version":"0","id":"%s","detail-type":"Scheduled Event","source":"aws.events","account":"%s",
                 "time":"%s","region":"%s","resources":["arn:aws:events:%s:%s:rule/health-check"],"detail":{}}
                """.formatted(UUID.randomUUID(), Topology.ACCOUNT, Instant.now(), Topology.STANDBY_REGION,
                Topology.STANDBY_REGION, Topology.ACCOUNT);
    }

    private static String operator(String detailType, boolean dryRun, boolean force) {
        return """
                {"version":"0","id":"%s","detail-type":"%s","source":"regionfailover.operator","account":"%s",
                 "time":"%s","region":"%s","resources":[],"detail":{"plan":"%s","reason":"generated history",
                 "dryRun":%s,"force":%s,"requestedBy":"history@example.com"}}
                """.formatted(UUID.randomUUID(), detailType, Topology.ACCOUNT, Instant.now(), Topology.STANDBY_REGION,
                Topology.PLAN, dryRun, force);
    }

    private static Context context(int remainingMillis) {
        // with time to spare: 60 s, so a wait for a change that never comes is cut (and caught) within 40 s
        long deadline = System.currentTimeMillis() + (remainingMillis > 0 ? remainingMillis : 60_000);
        String requestId = UUID.randomUUID().toString();
        return new Context() {
            @Override
            public String getAwsRequestId() {
                return requestId;
            }

            @Override
            public String getLogGroupName() {
                return "/aws/lambda/histories";
            }

            @Override
            public String getLogStreamName() {
                return "histories";
            }

            @Override
            public String getFunctionName() {
                return "histories";
            }

            @Override
            public String getFunctionVersion() {
                return "$LATEST";
            }

            @Override
            public String getInvokedFunctionArn() {
                return "arn:aws:lambda:" + Topology.STANDBY_REGION + ":" + Topology.ACCOUNT + ":function:histories";
            }

            @Override
            public CognitoIdentity getIdentity() {
                return null;
            }

            @Override
            public ClientContext getClientContext() {
                return null;
            }

            @Override
            public int getRemainingTimeInMillis() {
                return (int) Math.max(1, deadline - System.currentTimeMillis());
            }

            @Override
            public int getMemoryLimitInMB() {
                return 512;
            }

            @Override
            public LambdaLogger getLogger() {
                return null;
            }
        };
    }
}
