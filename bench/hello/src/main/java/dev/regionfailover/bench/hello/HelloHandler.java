package dev.regionfailover.bench.hello;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

import jakarta.inject.Named;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;

/**
 * The cold-start floor of the benchmark: the least a Quarkus Lambda can do. It reads the event, as every handler
 * must, and answers {@code {"hello":"world"}}. It is a stream handler like the functions' handlers, so both go
 * through the same Quarkus code path on Lambda.
 */
@Named("hello")
public class HelloHandler implements RequestStreamHandler {

    private static final byte[] HELLO = "{\"hello\":\"world\"}".getBytes(StandardCharsets.UTF_8);

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        input.readAllBytes();
        output.write(HELLO);
    }
}
