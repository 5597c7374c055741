package dev.regionfailover.it;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** The spine scenario against the project's emulator (moto with the fidelity extensions). */
@QuarkusTest
@WithTestResource(value = EmulatorResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS,
        initArgs = @ResourceArg(name = "handler", value = "alarm"))
class AlarmFailoverIT extends SpineScenario {
}
