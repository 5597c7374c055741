package dev.regionfailover.handler;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

import jakarta.inject.Inject;
import jakarta.inject.Named;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.regionfailover.event.AlarmEventParser;
import dev.regionfailover.failover.Deadline;
import dev.regionfailover.service.FailoverService;

/** A CloudWatch alarm changed state: EventBridge rule, the alarm's own Lambda action, or SNS. */
@Named("alarm")
public class AlarmHandler implements RequestStreamHandler {

    @Inject
    EventIo io;

    @Inject
    FailoverService service;

    @Inject
    ObjectMapper mapper;

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        AlarmEventParser parser = new AlarmEventParser(mapper);
        io.handle("alarm", input, output, event -> service.onAlarm(parser.parse(event), Deadline.of(context),
                Invocations.owner(context)));
    }
}
