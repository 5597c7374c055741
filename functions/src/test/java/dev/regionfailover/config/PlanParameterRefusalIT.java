package dev.regionfailover.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.regionfailover.aws.AwsClients;
import dev.regionfailover.it.AwsCallRecorder;
import dev.regionfailover.parameters.PlanParameterStore;
import dev.regionfailover.tools.Emulator;
import dev.regionfailover.tools.Topology;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

/**
 * A malformed pair in Parameter Store stops the function at start-up, with the parameter named, before any AWS call
 * but the read itself. What ArC does at start-up (the @Startup ConfigValidator over PlanPairs, PlanParameterStore
 * and AwsClients, with the real configuration mapping) is wired by hand here, against the emulator's Parameter
 * Store: a Quarkus test could only fail to start, not look at why.
 */
class PlanParameterRefusalIT {

    private static final String MISSING_RECORD = "{\"name\": \"billing\", \"primaryDbInstanceId\": \"billing-db\", "
            + "\"standbyDbInstanceId\": \"billing-db-replica\"}";

    @Test
    void aMalformedParameterStopsTheFunctionNamingItWithNoMutatingCall() throws Exception {
        try (Emulator emulator = Emulator.start(Map.of()); Topology world = new Topology(emulator.endpoint())) {
            Map<String, String> values = new HashMap<>(world.seed(Topology.Options.rdsInstance(3)).functionConfig());
            values.put("failover.plan-parameters-prefix", Topology.PLAN_PARAMETERS_PREFIX);
            world.putPairParameter("inventory", world.seedAdditionalPair("inventory", 3));
            String malformed = world.putPairParameter("billing", MISSING_RECORD);
            ConfigValidator validator = startUp(values);
            pointAt(emulator);
            try {
                AwsCallRecorder.clear();

                IllegalStateException refused = assertThrows(IllegalStateException.class, validator::validate);

                assertEquals("Invalid failover configuration: SSM parameter " + malformed + ".recordName is missing",
                        refused.getMessage());
                assertEquals("/region-failover/orders-db/pairs/billing", malformed);
                List<String> calls = AwsCallRecorder.calls();
                assertFalse(calls.isEmpty());
                assertTrue(calls.stream().allMatch(call -> call.endsWith(":GetParametersByPath")), calls.toString());
                assertEquals(List.of(), AwsCallRecorder.mutatingCalls());
            } finally {
                System.clearProperty("aws.endpointUrl");
            }
        }
    }

    @Test
    void theSameParametersMadeValidAreThePlansPairs() throws Exception {
        try (Emulator emulator = Emulator.start(Map.of()); Topology world = new Topology(emulator.endpoint())) {
            Map<String, String> values = new HashMap<>(world.seed(Topology.Options.rdsInstance(3)).functionConfig());
            values.put("failover.plan-parameters-prefix", Topology.PLAN_PARAMETERS_PREFIX);
            world.putPairParameter("inventory", world.seedAdditionalPair("inventory", 3));
            world.putPairParameter("billing", world.seedAdditionalPair("billing", 3));
            ConfigValidator validator = startUp(values);
            pointAt(emulator);
            try {
                validator.validate();

                assertEquals(List.of(Topology.PLAN, "billing", "inventory"),
                        validator.planPairs.all().stream().map(DatabasePair::name).toList());
            } finally {
                System.clearProperty("aws.endpointUrl");
            }
        }
    }

    /** The functions' SDK clients, as EmulatorResource points them (AWS_ENDPOINT_URL and test credentials). */
    private static void pointAt(Emulator emulator) {
        System.setProperty("aws.endpointUrl", emulator.endpoint().toString());
        System.setProperty("aws.accessKeyId", "test");
        System.setProperty("aws.secretAccessKey", "test");
    }

    /** The beans ConfigValidator needs at start-up, over the real mapping of {@code values}. */
    private static ConfigValidator startUp(Map<String, String> values) throws ReflectiveOperationException {
        SmallRyeConfig built = new SmallRyeConfigBuilder().withMapping(FailoverConfig.class)
                .withDefaultValues(values).build();
        FailoverConfig config = built.getConfigMapping(FailoverConfig.class);
        AwsClients aws = new AwsClients();
        set(aws, "config", config);
        PlanParameterStore store = new PlanParameterStore();
        set(store, "aws", aws);
        PlanPairs pairs = new PlanPairs();
        pairs.config = config;
        pairs.mapper = new ObjectMapper();
        pairs.parameters = store;
        ConfigValidator validator = new ConfigValidator();
        validator.config = config;
        validator.planPairs = pairs;
        return validator;
    }

    private static void set(Object bean, String field, Object value) throws ReflectiveOperationException {
        Field injected = bean.getClass().getDeclaredField(field);
        injected.setAccessible(true);
        injected.set(bean, value);
    }
}
