package dev.regionfailover.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

import dev.regionfailover.tools.Topology;

/**
 * {@link LostPromotionAnswer} for an Aurora global database: FailoverGlobalCluster started by the first attempt,
 * its answer lost, the SDK's retry refused (InvalidGlobalClusterStateFault: "already switching over or failing
 * over"). The operation is ours: the run waits for it and completes.
 */
@QuarkusTest
@WithTestResource(value = EmulatorResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS, initArgs = {
        @ResourceArg(name = "handler", value = "manual-failover"), @ResourceArg(name = "faults", value = "true"),
        @ResourceArg(name = "databaseKind", value = "aurora-global") })
class AuroraLostPromotionAnswerIT extends LostPromotionAnswer {

    @Override
    String promotionCall() {
        return "FailoverGlobalCluster";
    }

    @Override
    void assertFailedOver(Topology world, JsonPath response) {
        assertTrue(world.globalCluster().globalClusterMembers().stream().anyMatch(member -> member.isWriter()
                && member.dbClusterArn().equals(world.auroraSecondary().dbClusterArn())),
                "the secondary is the global cluster's writer: " + world.globalCluster().globalClusterMembers());
        assertEquals(world.auroraSecondary().endpoint(), world.recordTarget());
    }
}
