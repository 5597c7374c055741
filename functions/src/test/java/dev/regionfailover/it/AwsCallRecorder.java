package dev.regionfailover.it;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.regionfailover.tools.Topology;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * Records every AWS call the functions make (a global SDK interceptor, registered for the tests in
 * software/amazon/awssdk/global/handlers/execution.interceptors), so tests can prove what was and was not
 * called: no mutating call for bad input or a dry run, exactly one promotion for many triggers. Calls of the
 * test fixture carry a header and are left out.
 */
public class AwsCallRecorder implements ExecutionInterceptor {

    private static final List<String> CALLS = new CopyOnWriteArrayList<>();
    /** The roles the functions assumed, each with the external id it was asked with. */
    private static final List<String> ASSUMED = new CopyOnWriteArrayList<>();

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        if (context.httpRequest().firstMatchingHeader(Topology.FIXTURE_HEADER).isEmpty()) {
            CALLS.add(attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME) + ":"
                    + attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME));
            if (context.request() instanceof software.amazon.awssdk.services.sts.model.AssumeRoleRequest assume) {
                ASSUMED.add(assume.roleArn() + " externalId=" + assume.externalId());
            }
        }
    }

    public static List<String> assumedRoles() {
        return List.copyOf(ASSUMED);
    }

    public static void clear() {
        CALLS.clear();
    }

    public static List<String> calls() {
        return List.copyOf(CALLS);
    }

    /** Calls that may change something: everything but reads. */
    public static List<String> mutatingCalls() {
        return CALLS.stream().filter(call -> !isRead(call.substring(call.indexOf(':') + 1))).toList();
    }

    public static long count(String operation) {
        return CALLS.stream().filter(call -> call.endsWith(":" + operation)).count();
    }

    private static boolean isRead(String operation) {
        // AssumeRole changes nothing: it hands out credentials for a pair in another account
        return operation.startsWith("Describe") || operation.startsWith("Get") || operation.startsWith("List")
                || operation.equals("Query") || operation.startsWith("BatchGet") || operation.equals("AssumeRole");
    }
}
