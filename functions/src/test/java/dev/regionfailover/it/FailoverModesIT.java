package dev.regionfailover.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

import dev.regionfailover.event.AlarmSignal;
import dev.regionfailover.failover.Deadline;
import dev.regionfailover.failover.WorkflowResult;
import dev.regionfailover.handler.HandlerResponse;
import dev.regionfailover.service.FailoverService;
import dev.regionfailover.tools.Topology;
import software.amazon.awssdk.services.cloudwatch.model.StateValue;

/**
 * The consistency choice per database, each mode with the replica's lag inside and outside the 60 s budget, in
 * one automatic failover of a six-pair plan:
 * <ul>
 * <li>rpo-bounded: 3 s behind is promoted; 500 s behind (the plan's own pair) is refused;</li>
 * <li>planned-only: refused at 3 s (within the budget, but data could be lost) and at 500 s;</li>
 * <li>availability-first: promoted at 3 s and at 500 s, each with its estimated data-loss window recorded in the
 * journal and the report.</li>
 * </ul>
 * (A lag of 0, the one case planned-only promotes automatically, is in FailoverWorkflowTest: CloudWatch reports
 * the minute's maximum, so a seeded lag cannot be brought down to 0 within the minute here.)
 */
@QuarkusTest
@WithTestResource(value = EmulatorResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS, initArgs = {
        @ResourceArg(name = "handler", value = "alarm"), @ResourceArg(name = "replicaLagSeconds", value = "500"),
        @ResourceArg(name = "additionalPairs", value = "rpoin:rpo-bounded,plannedin:planned-only,"
                + "plannedout:planned-only,availin:availability-first,availout:availability-first") })
class FailoverModesIT {

    private static final List<String> FAR_BEHIND = List.of("plannedout", "availout");

    @Inject
    FailoverService service;

    @Test
    void eachPairDecidesByItsOwnModeWithTheLagInsideOrOutsideTheBudget() {
        try (Topology world = EmulatorResource.topology()) {
            world.stopPrimary();
            for (String pair : List.of("rpoin", "plannedin", "plannedout", "availin", "availout")) {
                world.stopInstance(Topology.PRIMARY_REGION, pair + "-db");
            }
            // seeded 3 s behind; these two fall 500 s behind
            FAR_BEHIND.forEach(pair -> world.reportReplicaLag(Topology.STANDBY_REGION, pair + "-db-replica", 500));
            Topology.WATCHED_ALARMS.forEach(alarm -> world.setAlarm(alarm, StateValue.ALARM, "outage"));

            assertEquals("EVALUATED", alarm().outcome());
            HandlerResponse response = alarm();

            Map<String, WorkflowResult> byPair = response.databases().stream()
                    .collect(Collectors.toMap(WorkflowResult.PairOutcome::database, WorkflowResult.PairOutcome::result));
            assertRefused(byPair.get(Topology.PLAN), "500s, budget 60s: over budget");
            assertPromoted(world, byPair.get("rpoin"), "rpoin", null);
            assertRefused(byPair.get("plannedin"), "3s, budget 60s: planned-only never promotes automatically");
            assertRefused(byPair.get("plannedout"), "500s, budget 60s: planned-only never promotes automatically");
            assertPromoted(world, byPair.get("availin"), "availin", 3.0);
            assertPromoted(world, byPair.get("availout"), "availout", 500.0);

            assertNotNull(world.replica().readReplicaSourceDBInstanceIdentifier(), "rpo-bounded over budget");
            for (String refused : List.of("plannedin", "plannedout")) {
                assertNotNull(world.instance(Topology.STANDBY_REGION, refused + "-db-replica")
                        .readReplicaSourceDBInstanceIdentifier(), refused + ": not promoted");
            }
        }
    }

    private static void assertRefused(WorkflowResult result, String why) {
        assertEquals(WorkflowResult.Outcome.REFUSED, result.outcome(), result.reason());
        assertTrue(result.reason().contains(why), result.reason());
    }

    /** Promoted; availability-first also records the data-loss window (the lag at promotion) in the journal. */
    private static void assertPromoted(Topology world, WorkflowResult result, String pair, Double lossWindow) {
        assertEquals(WorkflowResult.Outcome.COMPLETED, result.outcome(), result.reason());
        assertNull(world.instance(Topology.STANDBY_REGION, pair + "-db-replica").readReplicaSourceDBInstanceIdentifier(),
                pair + ": promoted");
        if (lossWindow != null) {
            assertEquals(lossWindow, result.report().dataLossWindowSeconds());
            assertTrue(result.report().warnings().stream().anyMatch(w -> w.startsWith("availability-first: up to "
                    + lossWindow.intValue() + "s of writes may be lost")), result.report().warnings().toString());
            assertEquals(String.valueOf(lossWindow.intValue()), world.journal(Topology.PLAN + "/" + pair).stream()
                    .filter(item -> item.get("sk").s().matches("RUN#[^#]+")).findFirst().orElseThrow()
                    .get("dataLossWindowSeconds").n().replace(".0", ""));
        }
    }

    private HandlerResponse alarm() {
        return service.onAlarm(new AlarmSignal(Topology.WATCHED_ALARMS.get(0), "", Topology.PRIMARY_REGION,
                Topology.ACCOUNT, AlarmSignal.AlarmState.ALARM, AlarmSignal.AlarmState.OK, "outage", "",
                AlarmSignal.Shape.EVENTBRIDGE), Deadline.unbounded(), "alarm-" + System.nanoTime());
    }
}
