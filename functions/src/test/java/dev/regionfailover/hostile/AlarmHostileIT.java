package dev.regionfailover.hostile;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

import dev.regionfailover.it.EmulatorResource;

/** The hostile corpus through the alarm handler (EventBridge alarm events, alarm Lambda actions, SNS). */
@QuarkusTest
@WithTestResource(value = EmulatorResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS, initArgs = {
        @ResourceArg(name = "handler", value = HostileCorpus.ALARM) })
class AlarmHostileIT extends HostileHandlerCheck {

    @Override
    String handler() {
        return HostileCorpus.ALARM;
    }
}
