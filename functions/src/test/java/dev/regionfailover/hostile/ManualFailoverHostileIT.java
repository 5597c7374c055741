package dev.regionfailover.hostile;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

import dev.regionfailover.it.EmulatorResource;

/** The hostile corpus through the manual-failover handler (operators' EventBridge events). */
@QuarkusTest
@WithTestResource(value = EmulatorResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS, initArgs = {
        @ResourceArg(name = "handler", value = HostileCorpus.MANUAL_FAILOVER) })
class ManualFailoverHostileIT extends HostileHandlerCheck {

    @Override
    String handler() {
        return HostileCorpus.MANUAL_FAILOVER;
    }
}
