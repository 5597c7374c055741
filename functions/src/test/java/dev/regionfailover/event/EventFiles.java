package dev.regionfailover.event;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.regionfailover.tools.ProjectRoot;

/** Locates and reads the sample events: our own ({@code events/}) and the shared AWS conformance corpus. */
final class EventFiles {

    static final ObjectMapper MAPPER = new ObjectMapper();

    private EventFiles() {
    }

    /** The folder holding {@code emulator/launcher.py} (or {@code -Dproject.root}). */
    static Path projectRoot() {
        return ProjectRoot.find();
    }

    static Path sharedCorpus() {
        Path corpus = projectRoot().resolve("../shared/aws-events").normalize();
        if (!Files.isDirectory(corpus)) {
            fail("the shared AWS event corpus is missing: expected it at " + corpus);
        }
        return corpus;
    }

    static Path ownEvents() {
        return projectRoot().resolve("events");
    }

    /** The JSON files of the shared corpus whose names start with one of the prefixes; fails if none match. */
    static List<Path> corpus(String... prefixes) {
        List<Path> files = list(sharedCorpus(), prefixes);
        assertTrue(files.size() > 0, "no corpus file starts with any of " + List.of(prefixes));
        return files;
    }

    static List<Path> own(String... prefixes) {
        List<Path> files = list(ownEvents(), prefixes);
        assertTrue(files.size() > 0, "no file in events/ starts with any of " + List.of(prefixes));
        return files;
    }

    private static List<Path> list(Path dir, String... prefixes) {
        try (Stream<Path> listing = Files.list(dir)) {
            return listing.filter(p -> p.toString().endsWith(".json"))
                    .filter(p -> Stream.of(prefixes).anyMatch(p.getFileName().toString()::startsWith))
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode read(Path file) {
        try {
            return MAPPER.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode corpusFile(String name) {
        return read(sharedCorpus().resolve(name));
    }

    static JsonNode ownFile(String name) {
        return read(ownEvents().resolve(name));
    }

    static JsonNode json(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
