package dev.regionfailover.it;

import org.junit.jupiter.api.condition.EnabledIf;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The same spine scenario against LocalStack in a Docker container, for users who have a Docker engine and a
 * LocalStack auth token (LocalStack's RDS is not in its community image). Skipped, with the reason, otherwise;
 * CI uses the project's emulator and never depends on this.
 */
@QuarkusTest
@EnabledIf(value = "dev.regionfailover.it.LocalStackBackend#usable",
        disabledReason = "needs a Docker engine and LOCALSTACK_AUTH_TOKEN (LocalStack's RDS is a Pro feature)")
@WithTestResource(value = EmulatorResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS, initArgs = {
        @ResourceArg(name = "handler", value = "alarm"), @ResourceArg(name = "backend", value = "localstack") })
class AlarmFailoverLocalStackIT extends SpineScenario {
}
