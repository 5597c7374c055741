package dev.regionfailover.hostile;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

import dev.regionfailover.it.EmulatorResource;

/** The hostile corpus through the rds-event handler, for an Aurora global database (the kind it acts for). */
@QuarkusTest
@WithTestResource(value = EmulatorResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS, initArgs = {
        @ResourceArg(name = "handler", value = HostileCorpus.RDS_EVENT),
        @ResourceArg(name = "databaseKind", value = "aurora-global") })
class RdsEventHostileIT extends HostileHandlerCheck {

    @Override
    String handler() {
        return HostileCorpus.RDS_EVENT;
    }
}
