package org.fedlodrop.simulator.cli;

import java.nio.file.Path;
import java.util.Optional;
import org.fedlodrop.simulator.extension.ExtensionException;
import org.fedlodrop.simulator.extension.Extensions;
import org.fedlodrop.simulator.run.UserInputException;
import picocli.CommandLine.Option;

/** {@code --plugins DIR}: the directory of plugin jars (docs/extending.md), by default $FEDLODROP_PLUGINS. */
final class PluginOption {
    @Option(names = "--plugins", paramLabel = "DIR", defaultValue = "${env:" + Extensions.ENVIRONMENT + "}",
            description = {"Directory of plugin jars whose planners, aggregation rules and path-loss models scenarios",
                    "may name (docs/extending.md). Default: $" + Extensions.ENVIRONMENT + ", else none."})
    Path directory;

    Extensions load() throws UserInputException {
        try {
            return Extensions.load(Optional.ofNullable(directory).filter(p -> !p.toString().isBlank()));
        } catch (ExtensionException e) {
            throw new UserInputException((directory != null ? "--plugins " + directory + ": " : "") + e.getMessage());
        }
    }
}
