package dev.regionfailover.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** The AWS calls the probe (bench/probe, RoundTripRecorder) recorded, read back from its files. */
public final class ProbeCalls {

    private ProbeCalls() {
    }

    /**
     * One SDK call. Times in epoch microseconds: {@code start}/{@code end} bracket the whole call, {@code firstSent}
     * and {@code lastReceived} its first request and last response; {@code roundTrip} sums request-to-response over
     * its attempts.
     */
    public record Call(String file, String service, String operation, long start, long firstSent, long lastReceived,
            long end, long roundTrip, int attempts, String outcome) {

        public boolean ok() {
            return outcome.equals("ok");
        }
    }

    /** Every call in the probe files of {@code dir} (one file per function process), in the order they started. */
    public static List<Call> read(Path dir) {
        List<Call> calls = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return calls;
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(f -> f.getFileName().toString().startsWith("probe-")).toList()) {
                for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                    String[] f = line.split("\t");
                    if (f.length == 10 && f[0].equals("CALL")) {
                        calls.add(new Call(file.getFileName().toString(), f[1], f[2], Long.parseLong(f[3]),
                                Long.parseLong(f[4]), Long.parseLong(f[5]), Long.parseLong(f[6]),
                                Long.parseLong(f[7]), Integer.parseInt(f[8]), f[9]));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the probe's files in " + dir, e);
        }
        calls.sort(Comparator.comparingLong(Call::start));
        return calls;
    }

    public static long count(List<Call> calls, String operation) {
        return calls.stream().filter(call -> call.operation().equals(operation)).count();
    }
}
