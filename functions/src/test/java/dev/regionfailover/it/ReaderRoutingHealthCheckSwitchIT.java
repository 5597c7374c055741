package dev.regionfailover.it;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Reader routing with the health-check-switch strategy: a withdrawn region's record stays; its health check
 * fails with its alarm, so the failover makes no Route 53 call at all.
 */
@QuarkusTest
@WithTestResource(value = EmulatorResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS, initArgs = {
        @ResourceArg(name = "handler", value = "manual-failover"),
        @ResourceArg(name = "dnsStrategy", value = "health-check-switch"),
        @ResourceArg(name = "readers", value = "true") })
class ReaderRoutingHealthCheckSwitchIT extends ReaderRoutingScenario {

    @Override
    boolean withdrawnRecordsAreDeleted() {
        return false;
    }
}
