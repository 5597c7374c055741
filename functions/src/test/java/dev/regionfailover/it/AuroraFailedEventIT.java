package dev.regionfailover.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.regionfailover.tools.Topology;

/**
 * RDS-EVENT-0239 (global failover failed) for a run whose invocation died after asking for the failover: the run
 * resumes, its waiting step finds the managed failover over without the standby as the writer, and the run ends
 * FAILED with a notification naming the step. DNS is not touched.
 */
@QuarkusTest
@WithTestResource(value = EmulatorResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS, initArgs = {
        @ResourceArg(name = "handler", value = "rds-event"),
        @ResourceArg(name = "databaseKind", value = "aurora-global") })
class AuroraFailedEventIT {

    @Test
    void aFailedGlobalFailoverEndsTheRunFailedAndNotified() throws Exception {
        try (Topology world = EmulatorResource.topology()) {
            // The managed failover was asked for and failed: the roles are as they were, no FailoverState.
            AuroraRdsEventIT.stageJournalOfRunThatDiedAfterPromoting(world);
            String recordBefore = world.recordTarget();
            AwsCallRecorder.clear();

            JsonPath response = Lambda.invokeFile("events/rds-global-failover-failed.json");

            assertEquals("FAILED", response.getString("outcome"), response.prettify());
            assertTrue(response.getString("reason").startsWith("failed at AWAIT_WRITER"), response.getString("reason"));
            assertEquals(recordBefore, world.recordTarget(), "DNS untouched");
            assertEquals(0, AwsCallRecorder.count("ChangeResourceRecordSets"));
            List<String> notifications = world.receiveNotifications();
            assertEquals(1, notifications.size());
            String report = new ObjectMapper().readTree(notifications.get(0)).get("Message").asText();
            assertEquals("FAILED", new ObjectMapper().readTree(report).get("state").asText());
        }
    }
}
