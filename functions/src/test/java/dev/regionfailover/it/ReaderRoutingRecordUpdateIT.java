package dev.regionfailover.it;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** Reader routing with the record-update strategy: a withdrawn region's latency record is deleted too. */
@QuarkusTest
@WithTestResource(value = EmulatorResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS, initArgs = {
        @ResourceArg(name = "handler", value = "manual-failover"),
        @ResourceArg(name = "readers", value = "true") })
class ReaderRoutingRecordUpdateIT extends ReaderRoutingScenario {

    @Override
    boolean withdrawnRecordsAreDeleted() {
        return true;
    }
}
