package dev.regionfailover.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the benchmark started (emulators, runtime API servers with their JVMs), stopped even when the benchmark is
 * interrupted (Ctrl-C, SIGTERM) rather than ending normally.
 */
final class Cleanup {

    private static final Set<AutoCloseable> OPEN = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(Cleanup::closeAll, "bench-cleanup"));
    }

    private Cleanup() {
    }

    static <T extends AutoCloseable> T register(T resource) {
        OPEN.add(resource);
        return resource;
    }

    static void done(AutoCloseable resource) {
        OPEN.remove(resource);
    }

    private static void closeAll() {
        List<AutoCloseable> open = new ArrayList<>(OPEN);
        OPEN.clear();
        for (AutoCloseable resource : open) {
            try {
                resource.close();
            } catch (Exception e) {
                // stopping on the way out: nothing more to do
            }
        }
    }
}
