package dev.regionfailover.explore;

import static dev.regionfailover.explore.EmulatorCrossCheckIT.observe;
import static dev.regionfailover.explore.EmulatorCrossCheckIT.outcome;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

import dev.regionfailover.aws.Cadence;
import dev.regionfailover.config.FailoverConfig;
import dev.regionfailover.config.PlanPairs;
import dev.regionfailover.database.DatabaseGateway;
import dev.regionfailover.database.DatabasePairs;
import dev.regionfailover.database.DatabaseState;
import dev.regionfailover.it.EmulatorResource;
import dev.regionfailover.tools.Topology;

/**
 * As {@link EmulatorCrossCheckIT}, for the Aurora global database: one script of calls through the real
 * AuroraGlobalGateway against the emulator (moto with emulator/aurora_global.py) and through FakeAuroraPair
 * against FakeAws, compared after every call: a failover (FailoverGlobalCluster) with the old writer fenced, a
 * second promotion while it runs and one of the writer once it ended, then the failback seen reversed (the fence
 * lifted from the secondary, the writer fenced, SwitchoverGlobalCluster back) and the demoted writer's fence
 * lifted. The script waits for each managed failover to end before it compares.
 */
@QuarkusTest
@WithTestResource(value = EmulatorResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS, initArgs = {
        @ResourceArg(name = "handler", value = "manual-failover"),
        @ResourceArg(name = "databaseKind", value = "aurora-global") })
class AuroraEmulatorCrossCheckIT {

    @Inject
    DatabasePairs pairs;

    @Inject
    PlanPairs planPairs;

    @Test
    void theFakeObservesWhatTheEmulatorDoesAlongAManagedFailoverAndASwitchoverBack() {
        DatabaseGateway emulator = pairs.at(planPairs.all().get(0), 0);
        DatabaseGateway fake = new ExploredSystem(7, FailoverConfig.DatabaseKind.AURORA_GLOBAL,
                FailoverConfig.FailoverMode.RPO_BOUNDED, 5).pairAt(0);
        assertEquals(script(emulator), script(fake));
    }

    private static List<String> script(DatabaseGateway pair) {
        List<String> seen = new ArrayList<>();
        observe(seen, "start", pair);
        pair.fencePrimary(List.of(Topology.FENCE_SECURITY_GROUP));
        seen.add("fenced the writer: " + pair.primary().securityGroupIds().equals(List.of(Topology.FENCE_SECURITY_GROUP))
                + ", still the writer " + pair.primary().isWriter());
        seen.add("fail over: " + promote(pair, false));
        seen.add("under way: " + pair.promotionUnderWay() + ", target a secondary: " + pair.standby().isReplica()
                + ", " + pair.standby().serving());
        seen.add("fail over again meanwhile: " + promote(pair, false));
        DatabaseState writer = pair.awaitWriter(Duration.ofMinutes(10), Cadence.every(Duration.ofMillis(200)));
        seen.add("awaited: writer " + writer.isWriter());
        observe(seen, "failed over", pair);
        seen.add("old writer demoted: " + pair.primary().isReplica() + ", still fenced "
                + pair.primary().securityGroupIds().equals(List.of(Topology.FENCE_SECURITY_GROUP)));
        seen.add("fail over to the writer: " + promote(pair, false));

        DatabaseGateway failback = pair.reversed();
        observe(seen, "failback", failback);
        seen.add("failback target exists: " + failback.standbyExists() + ", create it: " + outcome(() -> {
            failback.createStandby();
            return "accepted";
        }));
        failback.liftStandbyFence();
        seen.add("lifted the secondary's fence: " + failback.standbyFencedFrom().isPresent() + ", lift again: "
                + outcome(() -> {
                    failback.liftStandbyFence();
                    return "accepted";
                }));
        failback.fencePrimary(List.of(Topology.FENCE_SECURITY_GROUP));
        seen.add("switch over: " + promote(failback, true));
        seen.add("under way: " + failback.promotionUnderWay() + ", " + failback.standby().serving());
        seen.add("awaited: writer " + failback.awaitWriter(Duration.ofMinutes(10), Cadence.every(Duration.ofMillis(200))).isWriter());
        observe(seen, "failed back", failback);
        observe(seen, "next failover", pair);
        pair.liftStandbyFence();
        observe(seen, "demoted writer unfenced", pair);
        return seen;
    }

    private static String promote(DatabaseGateway pair, boolean planned) {
        return outcome(() -> {
            pair.promote(planned);
            return "accepted";
        });
    }
}
