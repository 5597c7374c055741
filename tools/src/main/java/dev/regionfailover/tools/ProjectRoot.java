package dev.regionfailover.tools;

import java.nio.file.Files;
import java.nio.file.Path;

/** The checkout's top folder, found from wherever Maven or a script runs us. */
public final class ProjectRoot {

    private ProjectRoot() {
    }

    public static Path find() {
        String configured = System.getProperty("project.root");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured).toAbsolutePath();
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.exists(dir.resolve("emulator/launcher.py"))) {
                return dir;
            }
        }
        throw new IllegalStateException("cannot find the project root (a folder holding emulator/launcher.py) "
                + "above " + Path.of("").toAbsolutePath() + "; set -Dproject.root");
    }
}
