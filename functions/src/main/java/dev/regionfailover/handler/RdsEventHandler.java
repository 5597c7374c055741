package dev.regionfailover.handler;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

import jakarta.inject.Inject;
import jakarta.inject.Named;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;

import dev.regionfailover.config.FailoverConfig;
import dev.regionfailover.config.PlanPairs;
import dev.regionfailover.database.GlobalClusterMembers;
import dev.regionfailover.event.EventBridgeEnvelope;
import dev.regionfailover.event.RdsEventParser;
import dev.regionfailover.event.RdsNotification;
import dev.regionfailover.event.TriggerTrust;
import dev.regionfailover.failover.Deadline;
import dev.regionfailover.service.FailoverService;

/**
 * RDS told us something; only the end of a running global failover or switchover is acted on, and only when it
 * concerns one of the plan's own databases.
 */
@Named("rds-event")
public class RdsEventHandler implements RequestStreamHandler {

    private final RdsEventParser parser = new RdsEventParser();

    @Inject
    EventIo io;

    @Inject
    FailoverService service;

    @Inject
    FailoverConfig config;

    @Inject
    PlanPairs planPairs;

    @Inject
    GlobalClusterMembers members;

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        TriggerTrust trust = new TriggerTrust(config, planPairs.all());
        io.handle("rds-event", context, input, output, event -> {
            RdsNotification notification = parser.parse(event);
            return trust.foreignRdsEvent(notification, EventBridgeEnvelope.parse(event), members::arns)
                    .map(why -> HandlerResponse.of("IGNORED", why))
                    .orElseGet(() -> service.onRdsEvent(notification, Deadline.of(context), Invocations.owner(context)));
        });
    }
}
