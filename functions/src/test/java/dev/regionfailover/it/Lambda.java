package dev.regionfailover.it;

import static io.restassured.RestAssured.given;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import io.restassured.path.json.JsonPath;

import dev.regionfailover.tools.FreshOrders;
import dev.regionfailover.tools.ProjectRoot;

/** Invokes the handler under test through Quarkus's mock Lambda event server, as Lambda would. */
final class Lambda {

    private Lambda() {
    }

    /** An operator order is sent with the time of sending (it counts only while fresh), as EventBridge would. */
    static JsonPath invoke(String event) {
        return invokeAsWritten(FreshOrders.stamp(event));
    }

    /** The event exactly as written, its time included (a stale order stays stale). */
    static JsonPath invokeAsWritten(String event) {
        return given().contentType("application/json").body(event).when().post().then().statusCode(200)
                .extract().jsonPath();
    }

    /** A file under events/ (ours) or shared/aws-events/ (AWS's own payloads). */
    static JsonPath invokeFile(String path) {
        return invoke(read(path));
    }

    static String read(String path) {
        Path root = ProjectRoot.find();
        Path file = path.startsWith("aws-events/") ? root.resolveSibling("shared").resolve(path) : root.resolve(path);
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
