package dev.regionfailover.handler;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;

import jakarta.inject.Inject;
import jakarta.inject.Named;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;

import dev.regionfailover.config.FailoverConfig;
import dev.regionfailover.config.PlanPairs;
import dev.regionfailover.event.EventBridgeEnvelope;
import dev.regionfailover.event.OperatorCommand;
import dev.regionfailover.event.OperatorEventParser;
import dev.regionfailover.event.TriggerTrust;
import dev.regionfailover.failover.Deadline;
import dev.regionfailover.notify.Notifier;
import dev.regionfailover.service.FailoverService;

/**
 * An operator asked for a failover (or a dry run of one) through EventBridge: on the path this function serves
 * (failover.operator.path), while the order is fresh.
 */
@Named("manual-failover")
public class ManualFailoverHandler implements RequestStreamHandler {

    @Inject
    EventIo io;

    @Inject
    FailoverService service;

    @Inject
    FailoverConfig config;

    @Inject
    PlanPairs planPairs;

    @Inject
    Notifier notifier;

    @Inject
    Clock clock;

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        OperatorEventParser parser = new OperatorEventParser(config.plan(), config.operator().allowedSources(),
                config.operator().allowedAccounts());
        TriggerTrust trust = new TriggerTrust(config, planPairs.all());
        io.handle("manual-failover", context, input, output, event -> {
            OperatorCommand order = parser.parse(event);
            trust.admitOrder(order, EventBridgeEnvelope.parse(event).time(), clock.instant());
            return service.onOperator(order, Deadline.of(context), Invocations.owner(context));
        }, notifier::publishRefusedOrder);
    }
}
