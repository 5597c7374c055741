package dev.regionfailover.handler;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

import jakarta.inject.Inject;
import jakarta.inject.Named;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;

import dev.regionfailover.event.RdsEventParser;
import dev.regionfailover.failover.Deadline;
import dev.regionfailover.service.FailoverService;

/** RDS told us something; only the end of a running global failover or switchover is acted on. */
@Named("rds-event")
public class RdsEventHandler implements RequestStreamHandler {

    private final RdsEventParser parser = new RdsEventParser();

    @Inject
    EventIo io;

    @Inject
    FailoverService service;

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        io.handle("rds-event", input, output, event -> service.onRdsEvent(parser.parse(event), Deadline.of(context),
                Invocations.owner(context)));
    }
}
