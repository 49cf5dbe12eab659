package org.fedlodrop.simulator.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.Callable;
import org.fedlodrop.simulator.extension.ExtensionKind;
import org.fedlodrop.simulator.extension.Extensions;
import org.fedlodrop.simulator.scenario.ScenarioMappers;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** What a scenario can name: every planner, aggregation rule and path-loss model, built-in or a plugin's. */
@Command(name = "extensions", mixinStandardHelpOptions = true,
        description = {"List the planners, aggregation rules and path-loss models a scenario can name: fedlodrop's",
                "own and the plugins' of --plugins DIR, each with where it comes from, what it does and its",
                "settings with their defaults (docs/extending.md)."})
final class ExtensionsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    PluginOption plugins = new PluginOption();

    @Override
    public Integer call() throws Exception {
        Extensions extensions = plugins.load();
        PrintWriter out = spec.commandLine().getOut();
        for (ExtensionKind kind : ExtensionKind.values()) {
            out.printf("%s (%s; settings under %s)%n", kind.plural(), kind.typeField(), kind.settingsField());
            for (Extensions.Registered registered : extensions.all(kind)) {
                out.printf("  %-18s %s%s%n", registered.type(), registered.extension().summary(),
                        registered.builtIn() ? "" : " [" + registered.origin() + "]");
                JsonNode defaults = ScenarioMappers.yaml().valueToTree(registered.extension().defaultSettings());
                for (Iterator<Map.Entry<String, JsonNode>> it = defaults.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> field = it.next();
                    out.printf("  %-18s   %s: %s%n", "", field.getKey(), field.getValue());
                }
            }
            out.println();
        }
        return FedLoDrop.EXIT_OK;
    }
}
