package dev.regionfailover.handler;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

import jakarta.inject.Inject;
import jakarta.inject.Named;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;

import dev.regionfailover.event.ScheduleEventParser;
import dev.regionfailover.failover.Deadline;
import dev.regionfailover.service.FailoverService;

/** The schedule: evaluate health, publish the verdict, fail over when it is FAILED. */
@Named("health-check")
public class HealthCheckHandler implements RequestStreamHandler {

    private final ScheduleEventParser parser = new ScheduleEventParser();

    @Inject
    EventIo io;

    @Inject
    FailoverService service;

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        io.handle("health-check", context, input, output, event -> service.onSchedule(parser.parse(event),
                Deadline.of(context), Invocations.owner(context)));
    }
}
