package dev.regionfailover.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.regionfailover.tools.Topology;
import software.amazon.awssdk.services.cloudwatch.model.StateValue;

/**
 * A watched alarm's name entering ALARM from another region or account is another alarm: in each shape it is
 * ignored with its reason, before any AWS call, even while the real alarms are in ALARM.
 * The same event from the plan's own account and primary region is evaluated (the control).
 */
@QuarkusTest
@WithTestResource(value = EmulatorResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS, initArgs = {
        @ResourceArg(name = "handler", value = "alarm") })
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ForeignAlarmIT {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String WATCHED = Topology.WATCHED_ALARMS.get(0);
    private static final String OTHER_ACCOUNT = "999999999999";

    @BeforeEach
    void clearRecordedCalls() {
        AwsCallRecorder.clear();
    }

    private static void assertIgnoredUntouched(String event, String because) {
        try (Topology world = EmulatorResource.topology(); LogCapture logs = new LogCapture()) {
            Topology.WATCHED_ALARMS.forEach(alarm -> world.setAlarm(alarm, StateValue.ALARM, "outage"));
            var journalBefore = world.journal();
            AwsCallRecorder.clear();

            JsonPath response = Lambda.invoke(event);

            assertEquals("IGNORED", response.getString("outcome"), response.prettify());
            String reason = response.getString("reason");
            assertTrue(reason.contains(because), reason);
            assertTrue(logs.messages().stream().anyMatch(m -> m.contains("alarm handler: IGNORED: ")
                    && m.contains(because)), logs.messages().toString());
            assertEquals(List.of(), AwsCallRecorder.calls());
            assertTrue(world.replica().readReplicaSourceDBInstanceIdentifier() != null, "still a replica");
            assertEquals(journalBefore, world.journal());
        }
    }

    @Test
    @Order(1)
    void anEventBridgeAlarmFromAnotherRegionIsIgnored() throws Exception {
        ObjectNode event = (ObjectNode) MAPPER.readTree(Lambda.read("events/alarm-eventbridge.json"));
        event.put("region", "eu-west-1");
        assertIgnoredUntouched(event.toString(), "(EVENTBRIDGE) comes from region 'eu-west-1', not the primary "
                + "region us-east-1");
    }

    @Test
    @Order(1)
    void aDirectAlarmActionFromAnotherAccountIsIgnored() throws Exception {
        ObjectNode event = (ObjectNode) MAPPER.readTree(Lambda.read("events/alarm-lambda-action.json"));
        event.put("accountId", OTHER_ACCOUNT);
        event.put("alarmArn", event.get("alarmArn").asText().replace(Topology.ACCOUNT, OTHER_ACCOUNT));
        assertIgnoredUntouched(event.toString(), "(LAMBDA_ACTION) comes from account '" + OTHER_ACCOUNT
                + "', not the plan's account " + Topology.ACCOUNT);
    }

    @Test
    @Order(1)
    void anSnsAlarmFromAnotherAccountIsIgnored() throws Exception {
        ObjectNode event = (ObjectNode) MAPPER.readTree(Lambda.read("aws-events/sns-cloudwatch-alarm-single-metric.json"));
        ObjectNode sns = (ObjectNode) event.get("Records").get(0).get("Sns");
        ObjectNode message = (ObjectNode) MAPPER.readTree(sns.get("Message").asText());
        message.put("AlarmName", WATCHED);
        message.put("AWSAccountId", OTHER_ACCOUNT);
        message.put("AlarmArn", "arn:aws:cloudwatch:us-east-1:" + OTHER_ACCOUNT + ":alarm:" + WATCHED);
        sns.put("Message", message.toString());
        assertIgnoredUntouched(event.toString(), "(SNS) comes from account '" + OTHER_ACCOUNT + "'");
    }

    @Test
    @Order(2)
    void theSameAlarmFromThePlansAccountAndRegionIsEvaluated() {
        AwsCallRecorder.clear();

        JsonPath response = Lambda.invokeFile("events/alarm-eventbridge.json");

        assertNotEquals("IGNORED", response.getString("outcome"), response.prettify());
        assertFalse(AwsCallRecorder.calls().isEmpty(), "the signal was evaluated");
    }
}
