package dev.regionfailover.hostile;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

import dev.regionfailover.it.EmulatorResource;

/** The hostile corpus through the health-check handler (the schedule). */
@QuarkusTest
@WithTestResource(value = EmulatorResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS, initArgs = {
        @ResourceArg(name = "handler", value = HostileCorpus.HEALTH_CHECK) })
class HealthCheckHostileIT extends HostileHandlerCheck {

    @Override
    String handler() {
        return HostileCorpus.HEALTH_CHECK;
    }
}
