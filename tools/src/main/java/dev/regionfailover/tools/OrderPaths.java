package dev.regionfailover.tools;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResponse;
import software.amazon.awssdk.services.eventbridge.model.Target;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The stack's operator order paths, deployed into the emulator from sam-template.yaml itself: its event buses and
 * the rules that carry orders to the order functions, with the template's own patterns (read from the
 * CloudFormation that bin/sam-translate makes of it, so the drill cannot drift from what a deployment creates). Each
 * rule delivers to a queue instead of its function (the emulator runs no Lambda); the drill takes an order from the
 * queue and hands it, exactly as delivered, to the packaged function configured as that rule's function is.
 *
 * <p>What the emulator does not do: enforce the buses' resource policies (who may PutEvents) or IAM. Those are
 * checked by reading the template (SamTemplateConfigTest, docs/security.md), not here.
 */
public final class OrderPaths implements AutoCloseable {

    /** A rule of the template that carries orders to a function, and that function's order path. */
    public record Route(String rule, String bus, String function, String operatorPath, String queueUrl) {
    }

    /** An order as EventBridge delivered it to one function of the stack. */
    public record Delivery(String function, String operatorPath, String event) {
    }

    private static final Pattern SUBSTITUTION = Pattern.compile("\\$\\{([A-Za-z0-9:]+)}");
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final EventBridgeClient events;
    private final SqsClient sqs;
    private final List<Route> paths = new ArrayList<>();

    private OrderPaths(Topology world) {
        events = world.standbyClient(EventBridgeClient.builder(), "EVENTBRIDGE");
        sqs = world.standbyClient(SqsClient.builder(), "SQS");
    }

    /**
     * Creates the template's buses and order rules in the emulator, with {@code parameters} for the template's
     * parameters (the rest take their defaults) and only the resources whose Condition is in {@code conditions}.
     */
    public static OrderPaths deploy(Path root, Topology world, Map<String, String> parameters,
            Set<String> conditions) throws IOException, InterruptedException {
        JsonNode template = translate(root);
        Map<String, String> values = new LinkedHashMap<>();
        template.path("Parameters").properties().forEach(parameter -> {
            if (parameter.getValue().has("Default")) {
                values.put(parameter.getKey(), parameter.getValue().path("Default").asText());
            }
        });
        values.putAll(parameters);
        values.put("AWS::AccountId", Topology.ACCOUNT);
        values.put("AWS::Region", Topology.STANDBY_REGION);
        values.put("AWS::Partition", "aws");
        JsonNode resources = template.path("Resources");
        OrderPaths orderPaths = new OrderPaths(world);
        for (Map.Entry<String, JsonNode> resource : resources.properties()) {
            JsonNode rule = resource.getValue();
            if (!rule.path("Type").asText().equals("AWS::Events::Rule") || !enabled(rule, conditions)) {
                continue;
            }
            String function = rule.path("Properties").path("Targets").path(0).path("Arn").path("Fn::GetAtt").path(0)
                    .asText();
            JsonNode variables = resources.path(function).path("Properties").path("Environment").path("Variables");
            if (!variables.has("FAILOVER_OPERATOR_PATH")) {
                continue;
            }
            JsonNode busName = rule.path("Properties").path("EventBusName");
            String bus = busName.has("Ref")
                    ? resolve(resources.path(busName.path("Ref").asText()).path("Properties").path("Name"), values)
                            .asText()
                    : resolve(busName, values).asText();
            orderPaths.create(resource.getKey(), bus, function, variables.path("FAILOVER_OPERATOR_PATH").asText(),
                    resolve(rule.path("Properties").path("EventPattern"), values).toString());
        }
        return orderPaths;
    }

    private static JsonNode translate(Path root) throws IOException, InterruptedException {
        Path out = root.resolve("drill-output/sam-template.cfn.json");
        Files.createDirectories(out.getParent());
        Process translate = new ProcessBuilder(root.resolve(".venv/bin/python").toString(),
                root.resolve("bin/sam-translate").toString(), "sam-template.yaml", out.toString())
                .directory(root.toFile()).redirectErrorStream(true).start();
        String output = new String(translate.getInputStream().readAllBytes());
        if (translate.waitFor() != 0) {
            throw new IllegalStateException("bin/sam-translate failed: " + output);
        }
        return MAPPER.readTree(out.toFile());
    }

    private static boolean enabled(JsonNode resource, Set<String> conditions) {
        return !resource.has("Condition") || conditions.contains(resource.path("Condition").asText());
    }

    /** The value with Ref and Fn::Sub replaced: all that the template's bus names and order patterns use. */
    private static JsonNode resolve(JsonNode node, Map<String, String> values) {
        if (node.isObject() && node.size() == 1 && node.has("Ref")) {
            return TextNode.valueOf(value(values, node.path("Ref").asText()));
        }
        if (node.isObject() && node.size() == 1 && node.has("Fn::Sub") && node.path("Fn::Sub").isTextual()) {
            Matcher matcher = SUBSTITUTION.matcher(node.path("Fn::Sub").asText());
            StringBuilder text = new StringBuilder();
            while (matcher.find()) {
                matcher.appendReplacement(text, Matcher.quoteReplacement(value(values, matcher.group(1))));
            }
            return TextNode.valueOf(matcher.appendTail(text).toString());
        }
        if (node.isObject()) {
            ObjectNode copy = JsonNodeFactory.instance.objectNode();
            node.properties().forEach(field -> copy.set(field.getKey(), resolve(field.getValue(), values)));
            return copy;
        }
        if (node.isArray()) {
            ArrayNode copy = JsonNodeFactory.instance.arrayNode();
            node.forEach(element -> copy.add(resolve(element, values)));
            return copy;
        }
        return node;
    }

    private static String value(Map<String, String> values, String name) {
        String value = values.get(name);
        if (value == null) {
            throw new IllegalStateException("the template refers to " + name + ", which the drill does not set");
        }
        return value;
    }

    private void create(String rule, String bus, String function, String operatorPath, String pattern) {
        if (!bus.equals("default") && events.listEventBuses(request -> request.namePrefix(bus)).eventBuses()
                .stream().noneMatch(existing -> existing.name().equals(bus))) {
            events.createEventBus(request -> request.name(bus));
        }
        String queueUrl = sqs.createQueue(request -> request.queueName("drill-" + function)).queueUrl();
        String queueArn = sqs.getQueueAttributes(request -> request.queueUrl(queueUrl)
                .attributeNames(QueueAttributeName.QUEUE_ARN)).attributes().get(QueueAttributeName.QUEUE_ARN);
        events.putRule(request -> request.name(rule).eventBusName(bus).eventPattern(pattern));
        events.putTargets(request -> request.rule(rule).eventBusName(bus)
                .targets(Target.builder().id(function).arn(queueArn).build()));
        paths.add(new Route(rule, bus, function, operatorPath, queueUrl));
    }

    public List<Route> paths() {
        return List.copyOf(paths);
    }

    /**
     * {@code aws events put-events --entries file://<entriesFile>}, with each entry's Detail edited by
     * {@code edit} and its bus replaced by {@code bus} when not null ("default": the account's default bus).
     */
    public void putEvents(Path entriesFile, java.util.function.UnaryOperator<ObjectNode> edit, String bus)
            throws IOException {
        List<PutEventsRequestEntry> entries = new ArrayList<>();
        for (JsonNode entry : MAPPER.readTree(entriesFile.toFile())) {
            ObjectNode detail = edit.apply((ObjectNode) MAPPER.readTree(entry.path("Detail").asText()));
            entries.add(PutEventsRequestEntry.builder().source(entry.path("Source").asText())
                    .detailType(entry.path("DetailType").asText()).detail(detail.toString())
                    .eventBusName(bus != null ? bus : entry.path("EventBusName").asText("default")).build());
        }
        PutEventsResponse response = events.putEvents(request -> request.entries(entries));
        if (response.failedEntryCount() > 0) {
            throw new IllegalStateException("PutEvents refused entries: " + response.entries());
        }
    }

    /** Every order delivered since the last call, taken off the queues. */
    public List<Delivery> deliveries() {
        List<Delivery> deliveries = new ArrayList<>();
        for (Route path : paths) {
            for (Message message : sqs.receiveMessage(request -> request.queueUrl(path.queueUrl())
                    .maxNumberOfMessages(10).waitTimeSeconds(1)).messages()) {
                deliveries.add(new Delivery(path.function(), path.operatorPath(), message.body()));
                sqs.deleteMessage(request -> request.queueUrl(path.queueUrl()).receiptHandle(message.receiptHandle()));
            }
        }
        return deliveries;
    }

    @Override
    public void close() {
        events.close();
        sqs.close();
    }
}
