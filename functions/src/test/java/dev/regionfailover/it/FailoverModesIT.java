package dev.regionfailover.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
 * The consistency choice per database, in one automatic failover of a three-pair plan: the plan's own pair
 * (rpo-bounded, 500 s behind a 60 s budget) is refused; "inventory" (planned-only, 3 s behind, within the budget
 * but not lossless) waits for an operator; "billing" (availability-first, 3 s behind) is promoted and its
 * estimated data-loss window is recorded.
 */
@QuarkusTest
@WithTestResource(value = EmulatorResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS, initArgs = {
        @ResourceArg(name = "handler", value = "alarm"), @ResourceArg(name = "replicaLagSeconds", value = "500"),
        @ResourceArg(name = "additionalPairs", value = "inventory:planned-only,billing:availability-first") })
class FailoverModesIT {

    @Inject
    FailoverService service;

    @Test
    void eachPairDecidesByItsOwnMode() {
        try (Topology world = EmulatorResource.topology()) {
            world.stopPrimary();
            world.stopInstance(Topology.PRIMARY_REGION, "inventory-db");
            world.stopInstance(Topology.PRIMARY_REGION, "billing-db");
            Topology.WATCHED_ALARMS.forEach(alarm -> world.setAlarm(alarm, StateValue.ALARM, "outage"));

            assertEquals("EVALUATED", alarm().outcome());
            HandlerResponse response = alarm();

            Map<String, WorkflowResult> byPair = response.databases().stream()
                    .collect(Collectors.toMap(WorkflowResult.PairOutcome::database, WorkflowResult.PairOutcome::result));
            assertEquals(WorkflowResult.Outcome.REFUSED, byPair.get(Topology.PLAN).outcome());
            assertTrue(byPair.get(Topology.PLAN).reason().contains("over budget"), byPair.get(Topology.PLAN).reason());
            assertEquals(WorkflowResult.Outcome.REFUSED, byPair.get("inventory").outcome());
            assertTrue(byPair.get("inventory").reason().contains("planned-only never promotes automatically"));
            WorkflowResult billing = byPair.get("billing");
            assertEquals(WorkflowResult.Outcome.COMPLETED, billing.outcome(), billing.reason());
            assertEquals(3.0, billing.report().dataLossWindowSeconds());
            assertEquals("3", world.journal(Topology.PLAN + "/billing").stream()
                    .filter(item -> item.get("sk").s().matches("RUN#[^#]+")).findFirst().orElseThrow()
                    .get("dataLossWindowSeconds").n().replace(".0", ""));

            assertNotNull(world.replica().readReplicaSourceDBInstanceIdentifier(), "rpo-bounded: not promoted");
            assertNotNull(world.instance(Topology.STANDBY_REGION, "inventory-db-replica")
                    .readReplicaSourceDBInstanceIdentifier(), "planned-only: not promoted");
            assertNull(world.instance(Topology.STANDBY_REGION, "billing-db-replica")
                    .readReplicaSourceDBInstanceIdentifier(), "availability-first: promoted");
        }
    }

    private HandlerResponse alarm() {
        return service.onAlarm(new AlarmSignal(Topology.WATCHED_ALARMS.get(0), "", Topology.PRIMARY_REGION,
                Topology.ACCOUNT, AlarmSignal.AlarmState.ALARM, AlarmSignal.AlarmState.OK, "outage", "",
                AlarmSignal.Shape.EVENTBRIDGE), Deadline.unbounded(), "alarm-" + System.nanoTime());
    }
}
