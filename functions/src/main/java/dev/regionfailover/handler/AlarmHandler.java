package dev.regionfailover.handler;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

import jakarta.inject.Inject;
import jakarta.inject.Named;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.regionfailover.config.FailoverConfig;
import dev.regionfailover.config.PlanPairs;
import dev.regionfailover.event.AlarmEventParser;
import dev.regionfailover.event.AlarmSignal;
import dev.regionfailover.event.TriggerTrust;
import dev.regionfailover.failover.Deadline;
import dev.regionfailover.service.FailoverService;

/**
 * A CloudWatch alarm changed state: EventBridge rule, the alarm's own Lambda action, or SNS. A watched alarm's
 * signal from another account or region is ignored before the service sees it.
 */
@Named("alarm")
public class AlarmHandler implements RequestStreamHandler {

    @Inject
    EventIo io;

    @Inject
    FailoverService service;

    @Inject
    ObjectMapper mapper;

    @Inject
    FailoverConfig config;

    @Inject
    PlanPairs planPairs;

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        AlarmEventParser parser = new AlarmEventParser(mapper);
        TriggerTrust trust = new TriggerTrust(config, planPairs.all());
        io.handle("alarm", context, input, output, event -> {
            AlarmSignal alarm = parser.parse(event);
            return trust.foreignAlarm(alarm).map(why -> HandlerResponse.of("IGNORED", why))
                    .orElseGet(() -> service.onAlarm(alarm, Deadline.of(context), Invocations.owner(context)));
        });
    }
}
