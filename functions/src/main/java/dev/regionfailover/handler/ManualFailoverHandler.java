package dev.regionfailover.handler;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

import jakarta.inject.Inject;
import jakarta.inject.Named;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;

import dev.regionfailover.config.FailoverConfig;
import dev.regionfailover.event.OperatorEventParser;
import dev.regionfailover.failover.Deadline;
import dev.regionfailover.notify.Notifier;
import dev.regionfailover.service.FailoverService;

/** An operator asked for a failover (or a dry run of one) through EventBridge. */
@Named("manual-failover")
public class ManualFailoverHandler implements RequestStreamHandler {

    @Inject
    EventIo io;

    @Inject
    FailoverService service;

    @Inject
    FailoverConfig config;

    @Inject
    Notifier notifier;

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        OperatorEventParser parser = new OperatorEventParser(config.plan(), config.operator().allowedSources(),
                config.operator().allowedAccounts());
        io.handle("manual-failover", input, output, event -> service.onOperator(parser.parse(event),
                Deadline.of(context), Invocations.owner(context)), notifier::publishUnauthorisedEvent);
    }
}
