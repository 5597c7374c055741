package dev.regionfailover.explore;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

import dev.regionfailover.aws.Cadence;
import dev.regionfailover.config.PlanPairs;
import dev.regionfailover.database.DatabaseGateway;
import dev.regionfailover.database.DatabasePairs;
import dev.regionfailover.database.DatabaseState;
import dev.regionfailover.it.EmulatorResource;
import dev.regionfailover.tools.Topology;

/**
 * The exploration's fake is only as good as its likeness to AWS. This plays one script of calls through the real
 * RdsInstanceGateway against the emulator (moto with emulator/rds_fidelity.py) and through FakeRdsPair against
 * FakeAws, and compares what each side observes after every call: replica or not, the status's class, writer or
 * not, fenced or not, promotion under way, and which error a call raised. Identifiers, endpoints and how long
 * transitions take differ on purpose (the fake runs in virtual time), so the script waits for each transition to
 * end before it compares.
 */
@QuarkusTest
@WithTestResource(value = EmulatorResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS,
        initArgs = @ResourceArg(name = "handler", value = "manual-failover"))
class EmulatorCrossCheckIT {

    @Inject
    DatabasePairs pairs;

    @Inject
    PlanPairs planPairs;

    @Test
    void theFakeObservesWhatTheEmulatorDoesAlongAFailoverAndAFailback() {
        DatabaseGateway emulator = pairs.at(planPairs.all().get(0), 0);
        DatabaseGateway fake = fakeWorld().pairAt(0);
        assertEquals(script(emulator), script(fake));
    }

    /** The seeded world of the emulator, in the fake: the same instances, groups and replication. */
    private static ExploredSystem fakeWorld() {
        return new ExploredSystem(7, dev.regionfailover.config.FailoverConfig.DatabaseKind.RDS_INSTANCE,
                dev.regionfailover.config.FailoverConfig.FailoverMode.RPO_BOUNDED, 5);
    }

    private static List<String> script(DatabaseGateway pair) {
        List<String> seen = new ArrayList<>();
        observe(seen, "start", pair);
        seen.add("promote a replica: " + outcome(() -> {
            pair.promote(false);
            return "accepted";
        }));
        seen.add("promotion under way: " + pair.promotionUnderWay() + ", standby replica: " + pair.standby().isReplica());
        seen.add("promote it again meanwhile: " + outcome(() -> {
            pair.promote(false);
            return "accepted";
        }));
        DatabaseState writer = pair.awaitWriter(Duration.ofMinutes(10), Cadence.every(Duration.ofMillis(200)));
        seen.add("awaited: writer " + writer.isWriter());
        observe(seen, "promoted", pair);
        seen.add("promote the writer: " + outcome(() -> {
            pair.promote(false);
            return "accepted";
        }));
        DatabaseGateway failback = pair.reversed();
        failback.fencePrimary(List.of(Topology.FENCE_SECURITY_GROUP));
        seen.add("fenced the new writer: " + failback.primary().securityGroupIds()
                .equals(List.of(Topology.FENCE_SECURITY_GROUP)) + ", still a writer " + failback.primary().isWriter());
        seen.add("failback standby exists: " + failback.standbyExists());
        failback.createStandby();
        // moto makes a replica available at once, AWS (and the fake) after "creating": compare once it is.
        DatabaseState created = failback.standby();
        for (int poll = 0; poll < 1000 && !created.isAvailable(); poll++) {
            created = failback.standby();
        }
        seen.add("created: replica " + created.isReplica() + ", " + created.serving() + ", of the writer "
                + created.replicationSource().contains(pair.standby().id()));
        return seen;
    }

    /** What both sides must agree on about a pair, in words that name no identifier. */
    static void observe(List<String> seen, String when, DatabaseGateway pair) {
        DatabaseState primary = pair.primary();
        DatabaseState standby = pair.standby();
        seen.add(when + ": primary " + primary.serving() + " writer " + primary.isWriter() + "; standby "
                + standby.serving() + " replica " + standby.isReplica() + " fenced "
                + pair.standbyFencedFrom().isPresent() + " under way " + pair.promotionUnderWay());
    }

    /** A call's outcome: accepted, or the class of the error AWS (or the fake) raised. */
    static String outcome(Supplier<String> call) {
        try {
            return call.get();
        } catch (RuntimeException e) {
            return e.getClass().getSimpleName();
        }
    }
}
