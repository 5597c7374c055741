package dev.regionfailover.handler;

import java.util.UUID;

import com.amazonaws.services.lambda.runtime.Context;

final class Invocations {

    private Invocations() {
    }

    /** The lease owner: the Lambda request id, which names the invocation in CloudWatch Logs too. */
    static String owner(Context context) {
        String requestId = context == null ? null : context.getAwsRequestId();
        return requestId == null || requestId.isBlank() ? "local-" + UUID.randomUUID() : requestId;
    }
}
